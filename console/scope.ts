import type { SessionUser } from './auth/sessions.js';

/**
 * What a user may see: district users only their own jurisdiction (city level, NULL, sees all);
 * enforcement officers only cases dispatched to their team. Appends to `args` and returns SQL
 * conditions over incidents aliased `i`.
 */
export function incidentScope(user: SessionUser, args: unknown[]): string[] {
  const where: string[] = [];
  if (user.jurisdictionCode !== null) {
    args.push(user.jurisdictionCode);
    where.push(`i.jurisdiction_code = $${String(args.length)}`);
  }
  if (user.role === 'enforcement') {
    args.push(user.teamId ?? -1);
    where.push(
      `EXISTS (SELECT 1 FROM dispatches d WHERE d.incident_id = i.id AND d.team_id = $${String(args.length)})`,
    );
  }
  return where;
}

/** Whether a pushed event about a case in `jurisdictionCode` is for this user. */
export function seesJurisdiction(user: SessionUser, jurisdictionCode: string | null): boolean {
  return user.jurisdictionCode === null || user.jurisdictionCode === jurisdictionCode;
}

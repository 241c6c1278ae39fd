import { appendAudit, appendAuditMany, type Pool } from '../../core/index.js';
import type { SessionUser } from '../auth/sessions.js';

/** Fields whose value differs, as before → after (JSON-equal values count as unchanged). */
export function changedFields(
  before: Readonly<Record<string, unknown>> | null,
  after: Readonly<Record<string, unknown>>,
): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const [k, v] of Object.entries(after)) {
    const old = before ? before[k] : undefined;
    if (JSON.stringify(old ?? null) !== JSON.stringify(v ?? null))
      out[k] = { before: old ?? null, after: v ?? null };
  }
  return out;
}

/**
 * One audit entry for an admin change: who, what, and every changed field before → after.
 * `before` is null for a creation.
 */
export async function auditChange(
  pool: Pool,
  user: SessionUser,
  action: string,
  target: { type: string; id: string | number },
  before: Readonly<Record<string, unknown>> | null,
  after: Readonly<Record<string, unknown>>,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await appendAudit(pool, {
    actorId: user.id,
    actor: user.username,
    action,
    targetType: target.type,
    targetId: String(target.id),
    details: { changes: changedFields(before, after), ...extra },
  });
}

export interface ChangeEntry {
  readonly action: string;
  readonly target: { type: string; id: string | number };
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>>;
  readonly extra?: Record<string, unknown>;
}

/** One audit entry per changed row of a bulk import, written together. */
export async function auditChanges(
  pool: Pool,
  user: SessionUser,
  entries: readonly ChangeEntry[],
): Promise<void> {
  await appendAuditMany(
    pool,
    entries.map((e) => ({
      actorId: user.id,
      actor: user.username,
      action: e.action,
      targetType: e.target.type,
      targetId: String(e.target.id),
      details: { changes: changedFields(e.before, e.after), ...e.extra },
    })),
  );
}

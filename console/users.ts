import { appendAudit, MuckError, ROLES, type Pool, type Role } from '../core/index.js';
import { hashPassword } from './auth/password.js';

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  jurisdictionCode: string | null;
  teamId: number | null;
}

/** Create a user (admin page and `npm run users:create`); audited. */
export async function createUser(
  pool: Pool,
  u: NewUser,
  actor: { id: number | null; name: string },
): Promise<number> {
  if (!ROLES.includes(u.role))
    throw new MuckError('MW_VALIDATION', `Unknown role ${u.role}; use ${ROLES.join(', ')}.`);
  if (u.password.length < 8) throw new MuckError('MW_VALIDATION', 'A password needs at least 8 characters.');
  if (u.role === 'enforcement' && u.teamId === null)
    throw new MuckError('MW_VALIDATION', 'An enforcement officer needs a team.');
  const hash = await hashPassword(u.password);
  const { rows } = await pool
    .query<{ id: string }>(
      `INSERT INTO users (username, display_name, password_hash, role, jurisdiction_code, team_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [u.username, u.displayName, hash, u.role, u.jurisdictionCode, u.teamId],
    )
    .catch((err: unknown) => {
      const code = (err as { code?: string }).code;
      if (code === '23505') throw new MuckError('MW_VALIDATION', `User name ${u.username} is taken.`);
      if (code === '23503') throw new MuckError('MW_VALIDATION', `Team ${String(u.teamId)} does not exist.`);
      throw err;
    });
  const id = Number(rows[0]?.id);
  await appendAudit(pool, {
    actorId: actor.id,
    actor: actor.name,
    action: 'user.create',
    targetType: 'user',
    targetId: String(id),
    details: { username: u.username, role: u.role, jurisdictionCode: u.jurisdictionCode, teamId: u.teamId },
  });
  return id;
}

import { createHash, randomBytes } from 'node:crypto';
import { appendAudit, MuckError, type Pool } from '../../core/index.js';

/**
 * Platforms allowed to push positions to the HTTP intake. Each has one API token, shown once
 * when it is made and stored only as its SHA-256 (32 random bytes cannot be guessed back from
 * it, so no slow hash is needed). Making, re-issuing and switching a platform are audited.
 */
export interface Platform {
  readonly id: number;
  readonly name: string;
}

/** Resolves a presented token to its enabled platform, or null. */
export type PlatformAuth = (token: string) => Promise<Platform | null>;

export function tokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newPlatformToken(): string {
  return `mwp_${randomBytes(32).toString('base64url')}`;
}

/** A new platform and its token (the only time the token is seen). */
export async function addPlatform(
  pool: Pool,
  name: string,
  actor = 'cli',
): Promise<{ platform: Platform; token: string }> {
  if (name.trim() === '') throw new MuckError('MW_VALIDATION', 'A platform needs a name');
  const token = newPlatformToken();
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO gps_platforms (name, token_sha256) VALUES ($1, $2)
     ON CONFLICT (name) DO NOTHING RETURNING id`,
    [name, tokenSha256(token)],
  );
  const id = rows[0]?.id;
  if (id === undefined)
    throw new MuckError('MW_VALIDATION', `Platform "${name}" exists already; re-issue its token instead`);
  await audit(pool, actor, 'gps_platform.created', id, { name });
  return { platform: { id: Number(id), name }, token };
}

/** A fresh token for a platform; the old one stops working (within the authenticator's cache time). */
export async function reissuePlatformToken(pool: Pool, name: string, actor = 'cli'): Promise<string> {
  const token = newPlatformToken();
  const id = await updateOne(pool, name, 'token_sha256 = $2', [tokenSha256(token)]);
  await audit(pool, actor, 'gps_platform.token_reissued', id, { name });
  return token;
}

export async function setPlatformEnabled(
  pool: Pool,
  name: string,
  enabled: boolean,
  actor = 'cli',
): Promise<void> {
  const id = await updateOne(pool, name, 'enabled = $2', [enabled]);
  await audit(pool, actor, enabled ? 'gps_platform.enabled' : 'gps_platform.disabled', id, { name });
}

export async function listPlatforms(
  pool: Pool,
): Promise<{ id: number; name: string; enabled: boolean; createdAt: Date }[]> {
  const { rows } = await pool.query<{ id: string; name: string; enabled: boolean; created_at: Date }>(
    'SELECT id, name, enabled, created_at FROM gps_platforms ORDER BY name',
  );
  return rows.map((r) => ({ id: Number(r.id), name: r.name, enabled: r.enabled, createdAt: r.created_at }));
}

/**
 * Token → platform from PostgreSQL, answers (known or not) kept for `ttlMs` so a flood of
 * requests costs one query per token; a re-issued or disabled token stops within that time.
 */
export function platformAuthenticator(pool: Pool, ttlMs = 30_000, now = Date.now): PlatformAuth {
  const cache = new Map<string, { at: number; platform: Platform | null }>();
  return async (token) => {
    const key = tokenSha256(token);
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.platform;
    const { rows } = await pool.query<{ id: string; name: string }>(
      'SELECT id, name FROM gps_platforms WHERE token_sha256 = $1 AND enabled',
      [key],
    );
    const row = rows[0];
    const platform = row ? { id: Number(row.id), name: row.name } : null;
    if (cache.size >= 10_000) cache.clear(); // unknown tokens must not grow it without bound
    cache.set(key, { at: now(), platform });
    return platform;
  };
}

async function updateOne(pool: Pool, name: string, set: string, values: unknown[]): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `UPDATE gps_platforms SET ${set}, updated_at = now() WHERE name = $1 RETURNING id`,
    [name, ...values],
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new MuckError('MW_NOT_FOUND', `No platform named "${name}"`);
  return id;
}

async function audit(pool: Pool, actor: string, action: string, id: string, details: unknown): Promise<void> {
  await appendAudit(pool, {
    actor,
    actorId: null,
    action,
    targetType: 'gps_platform',
    targetId: id,
    details,
  });
}

/**
 * Platforms allowed to push positions to the HTTP intake, and their API tokens: making a platform,
 * re-issuing its token, switching it on or off, listing them, and the cached token check the
 * intake runs on every request. Each platform has one token, shown once when it is made and
 * stored only as its SHA-256 (32 random bytes cannot be guessed back from it, so no slow hash is
 * needed). Every change is audited. The shape of a platform's scope is here because a listing
 * carries it; reading and changing the scope is `platform-scope.ts`, which builds on this file.
 */

import { createHash, randomBytes } from 'node:crypto';
import { MuckError, type Pool } from '../../core/index.js';
import { auditPlatform } from './platform-audit.js';

/** A platform as the intake knows it once its token is accepted. */
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
  await auditPlatform(pool, actor, 'gps_platform.created', id, { name });
  return { platform: { id: Number(id), name }, token };
}

/** A fresh token for a platform; the old one stops working (within the authenticator's cache time). */
export async function reissuePlatformToken(pool: Pool, name: string, actor = 'cli'): Promise<string> {
  const token = newPlatformToken();
  const id = await updateOne(pool, name, 'token_sha256 = $2', [tokenSha256(token)]);
  await auditPlatform(pool, actor, 'gps_platform.token_reissued', id, { name });
  return token;
}

export async function setPlatformEnabled(
  pool: Pool,
  name: string,
  enabled: boolean,
  actor = 'cli',
): Promise<void> {
  const id = await updateOne(pool, name, 'enabled = $2', [enabled]);
  await auditPlatform(pool, actor, enabled ? 'gps_platform.enabled' : 'gps_platform.disabled', id, { name });
}

/** Which devices a platform may push positions for. */
export interface PlatformScope {
  /** Every device, registered or not (what platforms made before scopes existed keep). */
  readonly allDevices: boolean;
  /** Otherwise only the registered vehicles of these fleet-registry companies (none: nothing). */
  readonly companies: readonly { readonly id: number; readonly name: string }[];
}

export interface PlatformListing extends PlatformScope {
  readonly id: number;
  readonly name: string;
  readonly enabled: boolean;
  readonly createdAt: Date;
}

export async function listPlatforms(pool: Pool): Promise<PlatformListing[]> {
  const { rows } = await pool.query<{
    id: string;
    name: string;
    enabled: boolean;
    created_at: Date;
    all_devices: boolean;
    companies: { id: number; name: string }[];
  }>(
    `SELECT p.id, p.name, p.enabled, p.created_at, p.all_devices,
            COALESCE((SELECT json_agg(json_build_object('id', c.id, 'name', c.name) ORDER BY c.name)
                      FROM gps_platform_companies pc JOIN companies c ON c.id = pc.company_id
                      WHERE pc.platform_id = p.id), '[]') AS companies
     FROM gps_platforms p ORDER BY p.name`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    enabled: r.enabled,
    createdAt: r.created_at,
    allDevices: r.all_devices,
    companies: r.companies,
  }));
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

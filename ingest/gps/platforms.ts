import { createHash, randomBytes } from 'node:crypto';
import { appendAudit, MuckError, type Pool, type PoolClient } from '../../core/index.js';
import type { GpsPoint } from './point.js';

/**
 * Platforms allowed to push positions to the HTTP intake. Each has one API token, shown once
 * when it is made and stored only as its SHA-256 (32 random bytes cannot be guessed back from
 * it, so no slow hash is needed), and a scope: the transport companies whose registered vehicles
 * it may report, or every device. Making, re-issuing, switching and re-scoping a platform are
 * audited.
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

/** Which devices a platform may push positions for. */
export interface PlatformScope {
  /** Every device, registered or not (what platforms made before scopes existed keep). */
  readonly allDevices: boolean;
  /** Otherwise only the registered vehicles of these fleet-registry companies (none: nothing). */
  readonly companies: readonly { readonly id: number; readonly name: string }[];
}

/** A new scope: every device, or these companies (a number is an id; a text is a name, or an id in digits). */
export type ScopeChange =
  { readonly allDevices: true } | { readonly companies: readonly (string | number)[] };

export async function getPlatformScope(pool: Pool, name: string): Promise<PlatformScope> {
  const found = (await listPlatforms(pool)).find((p) => p.name === name);
  if (!found) throw new MuckError('MW_NOT_FOUND', `No platform named "${name}"`);
  return { allDevices: found.allDevices, companies: found.companies };
}

/**
 * Bind a platform to companies of the fleet registry, or let it report every device. Companies
 * that are not in the registry are refused together, and nothing changes. Audited with the scope
 * before and after; takes effect at the gateway within its scope cache time.
 */
export async function setPlatformScope(
  pool: Pool,
  name: string,
  change: ScopeChange,
  actor = 'cli',
): Promise<PlatformScope> {
  const wanted = 'companies' in change ? change.companies : null;
  if (wanted?.length === 0) {
    throw new MuckError(
      'MW_VALIDATION',
      `Name at least one company for platform "${name}", or let it report every device (--all); to stop a platform, disable it`,
    );
  }
  const client = await pool.connect();
  let platformId: string;
  let before: PlatformScope;
  let after: PlatformScope;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string; all_devices: boolean }>(
      'SELECT id, all_devices FROM gps_platforms WHERE name = $1 FOR UPDATE',
      [name],
    );
    const row = rows[0];
    if (!row) throw new MuckError('MW_NOT_FOUND', `No platform named "${name}"`);
    platformId = row.id;
    const current = await client.query<{ id: string; name: string }>(
      `SELECT c.id, c.name FROM gps_platform_companies pc JOIN companies c ON c.id = pc.company_id
       WHERE pc.platform_id = $1 ORDER BY c.name`,
      [row.id],
    );
    before = { allDevices: row.all_devices, companies: current.rows.map(companyOf) };
    const companies = wanted ? await resolveCompanies(client, wanted) : [];
    await client.query('UPDATE gps_platforms SET all_devices = $2, updated_at = now() WHERE id = $1', [
      row.id,
      wanted === null,
    ]);
    await client.query('DELETE FROM gps_platform_companies WHERE platform_id = $1', [row.id]);
    await client.query(
      `INSERT INTO gps_platform_companies (platform_id, company_id) SELECT $1, unnest($2::bigint[])`,
      [row.id, companies.map((c) => c.id)],
    );
    await client.query('COMMIT');
    after = { allDevices: wanted === null, companies };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  await audit(pool, actor, 'gps_platform.scope_changed', platformId, { name, before, after });
  return after;
}

async function resolveCompanies(
  client: PoolClient,
  wanted: readonly (string | number)[],
): Promise<{ id: number; name: string }[]> {
  const names = wanted.filter((w): w is string => typeof w === 'string');
  const numbers = wanted.filter((w): w is number => typeof w === 'number');
  const { rows } = await client.query<{ id: string; name: string }>(
    `SELECT id, name FROM companies WHERE name = ANY($1::text[]) OR id::text = ANY($1::text[])
        OR id = ANY($2::bigint[])`,
    [names, numbers],
  );
  const found = rows.map(companyOf);
  const chosen = new Map<number, { id: number; name: string }>();
  const missing: string[] = [];
  for (const w of wanted) {
    // A name wins over an id written in digits (a company may be called "12").
    const hit =
      typeof w === 'number'
        ? found.find((c) => c.id === w)
        : (found.find((c) => c.name === w) ??
          (/^\d+$/.test(w) ? found.find((c) => c.id === Number(w)) : undefined));
    if (hit) chosen.set(hit.id, hit);
    else missing.push(String(w));
  }
  if (missing.length > 0) {
    throw new MuckError(
      'MW_NOT_FOUND',
      `No transport company ${missing.map((m) => `"${m}"`).join(', ')} in the fleet registry; nothing was changed (add them in the console's Fleet registry page or its CSV import first)`,
      missing.map((m) => `not in the fleet registry: ${m}`),
    );
  }
  return [...chosen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

const companyOf = (r: { id: string; name: string }): { id: number; name: string } => ({
  id: Number(r.id),
  name: r.name,
});

/** The scope as one line (`platforms-cli.ts list`). */
export function describeScope(s: PlatformScope): string {
  if (s.allDevices) return 'all devices';
  if (s.companies.length === 0) return 'no company (reports nothing)';
  return `companies: ${s.companies.map((c) => c.name).join(', ')}`;
}

/**
 * `scope NAME` options: `--company A --company B` (or `--company=A`), or `--all`; none: show the
 * scope (null). A mistake is a MW_VALIDATION error saying what to write instead.
 */
export function parseScopeArgs(args: readonly string[]): ScopeChange | null {
  const companies: string[] = [];
  let all = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--all') {
      all = true;
    } else if (a === '--company' || a.startsWith('--company=')) {
      const v = a === '--company' ? args[++i] : a.slice('--company='.length);
      if (v === undefined || v.trim() === '' || v.startsWith('--')) {
        throw new MuckError(
          'MW_VALIDATION',
          '--company needs a company name or id, e.g. --company "Shenzhen Haulage"',
        );
      }
      companies.push(v);
    } else {
      throw new MuckError('MW_VALIDATION', `Unknown option "${a}": use --company NAME (repeatable) or --all`);
    }
  }
  if (all && companies.length > 0) {
    throw new MuckError('MW_VALIDATION', 'Give either --all or --company NAME, not both');
  }
  if (all) return { allDevices: true };
  return companies.length > 0 ? { companies } : null;
}

/** What the fleet registry says about a device id: its vehicle and that vehicle's company, or null when unregistered. */
export interface DeviceOwner {
  readonly vehicleId: number;
  readonly companyId: number | null;
  readonly companyName: string | null;
}

/** A platform's scope as the check needs it. */
export interface ScopeRule {
  readonly allDevices: boolean;
  readonly companyIds: ReadonlySet<number>;
}

/** Why `platform` may not report `deviceId` (a message for the platform's people), or null when it may. Pure. */
export function deviceRefusal(
  platform: string,
  rule: ScopeRule,
  deviceId: string,
  owner: DeviceOwner | null,
): string | null {
  if (rule.allDevices) return null;
  const head = `Platform "${platform}" may not report device "${deviceId}"`;
  if (!owner) {
    return `${head}: it is no terminal id or plate in the fleet registry, and this platform reports only registered vehicles of its companies (register the vehicle first)`;
  }
  if (owner.companyId === null || owner.companyName === null) {
    return `${head}: its vehicle belongs to no transport company in the fleet registry`;
  }
  if (rule.companyIds.has(owner.companyId)) return null;
  return `${head}: its vehicle belongs to "${owner.companyName}", which is not one of this platform's companies (ask the city to add it to the platform's scope)`;
}

/** A position refused because its device is outside the sending platform's scope. */
export interface ScopeRefused {
  readonly point: GpsPoint;
  readonly detail: string;
}

export interface DeviceScope {
  /** Device id → why the platform may not report it, for those among `deviceIds` it may not (one query per TTL at most). */
  refusals(platform: Platform, deviceIds: readonly string[]): Promise<Map<string, string>>;
  /** Keeps refused positions for an operator: `gps_quarantine` with reason `device_not_allowed`. */
  quarantine(refused: readonly ScopeRefused[]): Promise<void>;
}

/**
 * The scope check of the HTTP intake. A platform's scope and each device's company are cached for
 * `ttlMs` (a batch costs at most one query for the scope and one for its uncached devices, none
 * per point); a scope change takes effect within that time. An all-devices platform costs no
 * device query at all.
 */
export function platformDeviceScope(pool: Pool, ttlMs = 30_000, now = Date.now): DeviceScope {
  const rules = new Map<number, { at: number; rule: ScopeRule }>();
  const owners = new Map<string, { at: number; owner: DeviceOwner | null }>();

  const ruleOf = async (platformId: number): Promise<ScopeRule> => {
    const hit = rules.get(platformId);
    if (hit && now() - hit.at < ttlMs) return hit.rule;
    const { rows } = await pool.query<{ all_devices: boolean; companies: string[] }>(
      `SELECT all_devices,
              ARRAY(SELECT company_id::text FROM gps_platform_companies WHERE platform_id = p.id) AS companies
       FROM gps_platforms p WHERE id = $1`,
      [platformId],
    );
    const row = rows[0];
    // A platform that has gone reports nothing.
    const rule = {
      allDevices: row?.all_devices ?? false,
      companyIds: new Set((row?.companies ?? []).map(Number)),
    };
    rules.set(platformId, { at: now(), rule });
    return rule;
  };

  const ownersOf = async (deviceIds: readonly string[]): Promise<Map<string, DeviceOwner | null>> => {
    const out = new Map<string, DeviceOwner | null>();
    const stale: string[] = [];
    for (const id of deviceIds) {
      const hit = owners.get(id);
      if (hit && now() - hit.at < ttlMs) out.set(id, hit.owner);
      else stale.push(id);
    }
    if (stale.length === 0) return out;
    // The same resolution as `vehicleLookup`: a terminal's bound vehicle, else a vehicle with that plate.
    const { rows } = await pool.query<{
      device_id: string;
      vehicle_id: string | null;
      company_id: string | null;
      company: string | null;
    }>(
      `SELECT d.id AS device_id, v.id AS vehicle_id, v.company_id, c.name AS company
       FROM unnest($1::text[]) AS d(id)
       LEFT JOIN LATERAL (
         SELECT COALESCE(
           (SELECT t.vehicle_id FROM terminals t WHERE ltrim(t.terminal_id, '0') = ltrim(d.id, '0') LIMIT 1),
           (SELECT x.id FROM vehicles x WHERE x.plate = d.id)) AS vehicle_id) r ON true
       LEFT JOIN vehicles v ON v.id = r.vehicle_id
       LEFT JOIN companies c ON c.id = v.company_id`,
      [stale],
    );
    if (owners.size > 100_000) owners.clear(); // unknown ids must not grow it without bound
    const at = now();
    for (const r of rows) {
      const owner =
        r.vehicle_id === null
          ? null
          : {
              vehicleId: Number(r.vehicle_id),
              companyId: r.company_id === null ? null : Number(r.company_id),
              companyName: r.company,
            };
      owners.set(r.device_id, { at, owner });
      out.set(r.device_id, owner);
    }
    return out;
  };

  return {
    async refusals(platform, deviceIds) {
      const refused = new Map<string, string>();
      const rule = await ruleOf(platform.id);
      if (rule.allDevices) return refused;
      const unique = [...new Set(deviceIds)];
      const found = await ownersOf(unique);
      for (const id of unique) {
        const why = deviceRefusal(platform.name, rule, id, found.get(id) ?? null);
        if (why !== null) refused.set(id, why);
      }
      return refused;
    },
    async quarantine(refused) {
      if (refused.length === 0) return;
      await pool.query(INSERT_REFUSED, [
        JSON.stringify(
          refused.map(({ point: p, detail }) => ({
            d: p.deviceId,
            v: p.vehicleId ?? null,
            t: p.fixTimeMs,
            r: p.receivedMs,
            detail,
            src: p.source,
            x: p.lon,
            y: p.lat,
            pt: p,
          })),
        ),
      ]);
    },
  };
}

const INSERT_REFUSED = `
INSERT INTO gps_quarantine (device_id, vehicle_id, fix_time, received_at, reason, detail, source, lon, lat, point)
SELECT d, v, to_timestamp(t / 1000.0), to_timestamp(r / 1000.0), 'device_not_allowed', detail, src, x, y, pt
FROM json_to_recordset($1::json) AS u(d text, v bigint, t float8, r float8, detail text, src text,
                                      x float8, y float8, pt jsonb)`;

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

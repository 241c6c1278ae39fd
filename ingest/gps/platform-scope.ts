/**
 * Administration of a platform's scope: the transport companies of the fleet registry whose
 * vehicles it may report, or every device. Reading and changing it (audited, in one transaction),
 * and the CLI's wording of it. The check the intake runs on each batch is `device-scope.ts`.
 */

import { MuckError, type Pool, type PoolClient } from '../../core/index.js';
import { auditPlatform } from './platform-audit.js';
import { listPlatforms, type PlatformScope } from './platforms.js';

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
  await auditPlatform(pool, actor, 'gps_platform.scope_changed', platformId, { name, before, after });
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

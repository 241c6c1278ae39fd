import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../core/index.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../core/testing/services.js';
import { buildApp, type ConsoleApp } from './app.js';
import { allows, type Access } from './auth/guard.js';
import { SessionStore } from './auth/sessions.js';
import { seed, type Seeded } from './test-seed.js';

/**
 * The reviewed access policy. The route table must equal it, so a new route (or a changed rule)
 * fails here until someone writes down who may call it; then every role × route is exercised.
 */
const OPS: Role[] = ['operator', 'admin'];
const AUD: Role[] = ['auditor', 'admin'];
const POLICY: Record<string, Access> = {
  'GET /api/health': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'authenticated',
  'GET /api/auth/me': 'authenticated',
  'GET /api/incidents': 'authenticated',
  'GET /api/incidents/:id': 'authenticated',
  'POST /api/incidents/:id/register': OPS,
  'POST /api/incidents/:id/dispatch': OPS,
  'POST /api/incidents/:id/handle': ['enforcement', 'admin'],
  'POST /api/incidents/:id/verify': OPS,
  'POST /api/incidents/:id/close': OPS,
  'POST /api/incidents/:id/accept': ['enforcement', 'admin'],
  'GET /api/evidence/:id/content': 'authenticated',
  'POST /api/evidence/:id/verify': AUD,
  'PUT /api/evidence/:id/hold': AUD,
  'POST /api/incidents/:id/export': AUD,
  'GET /api/audit': AUD,
  'POST /api/audit/verify': AUD,
  'GET /api/cameras': ['operator', 'auditor', 'admin'],
  'GET /api/cameras/:id/live': OPS,
  'GET /api/terminals/presence': ['operator', 'auditor', 'admin'],
  'GET /api/cameras/:id/settings': ['admin'],
  'POST /api/cameras': ['admin'],
  'PATCH /api/cameras/:id': ['admin'],
  'POST /api/cameras/:id/test': ['admin'],
  'GET /api/cameras/:id/snapshot': ['admin'],
  'GET /api/zones/export': ['operator', 'auditor', 'admin'],
  'GET /api/zones/export.kml': ['operator', 'auditor', 'admin'],
  'POST /api/zones': ['admin'],
  'PUT /api/zones/:id': ['admin'],
  'DELETE /api/zones/:id': ['admin'],
  'POST /api/zones/import': ['admin'],
  'GET /api/fleet/companies': ['operator', 'auditor', 'admin'],
  'POST /api/fleet/companies': ['admin'],
  'PATCH /api/fleet/companies/:id': ['admin'],
  'GET /api/fleet/vehicles': ['operator', 'auditor', 'admin'],
  'POST /api/fleet/vehicles': ['admin'],
  'PATCH /api/fleet/vehicles/:id': ['admin'],
  'GET /api/fleet/terminals': ['operator', 'auditor', 'admin'],
  'POST /api/fleet/terminals': ['admin'],
  'PATCH /api/fleet/terminals/:id': ['admin'],
  'GET /api/fleet/export': ['operator', 'auditor', 'admin'],
  'POST /api/fleet/import': ['admin'],
  'POST /api/teams': ['admin'],
  'PATCH /api/teams/:id': ['admin'],
  'PATCH /api/users/:id': ['admin'],
  'GET /api/vehicles/positions': ['operator', 'auditor', 'admin'],
  'GET /api/zones': 'authenticated',
  'GET /api/teams': OPS,
  'GET /api/users': ['admin'],
  'POST /api/users': ['admin'],
  'POST /api/users/:id/disable': ['admin'],
  'POST /api/users/:id/password': ['admin'],
  'GET /api/stream': 'authenticated',
  'GET /api/kpi': ['operator', 'auditor', 'admin'],
  'POST /api/incidents/:id/photos': ['enforcement', 'admin'],
};

describe('authorization matrix: every role × every route', () => {
  let db: TestDatabase;
  let r: TestRedis;
  let app: ConsoleApp;
  let s: Seeded;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'mw-authz-'));
    s = await seed(db.pool, dir);
    app = buildApp({ pool: db.pool, redis: r.redis, redisPrefix: r.ctx.prefix, dataDir: dir, web: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${String((app.server.address() as AddressInfo).port)}`;
  });
  afterAll(async () => {
    await app.close();
    await db.cleanup();
    await r.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a reviewed rule for every route, and no rule for a route that is gone', () => {
    const table = Object.fromEntries(app.routeTable.map((e) => [`${e.method} ${e.url}`, e.access]));
    expect(table).toEqual(POLICY);
  });

  it('refuses to start with an /api route that has no access rule', async () => {
    const bare = buildApp({ pool: db.pool, redis: r.redis, redisPrefix: r.ctx.prefix, web: false });
    expect(() => bare.get('/api/unguarded', () => Promise.resolve({}))).toThrow(/no access rule/);
    await bare.close();
  });

  it('answers each role exactly as the rule says (and anonymous callers with 401)', async () => {
    const sessions = new SessionStore(r.redis, r.ctx.prefix, 600);
    const target = (url: string): string =>
      url
        .replace('/api/evidence/:id', `/api/evidence/${String(s.evidence.snapshot)}`)
        .replace('/api/users/:id', `/api/users/${String(s.districtOperator)}`)
        .replace(':id', String(s.incidents.d2));
    const cells: string[] = [];
    for (const role of [...ROLES, null]) {
      for (const e of app.routeTable) {
        // A fresh session per request: logout or a user change must not spill into the next cell.
        const session =
          role === null
            ? null
            : await sessions.create({
                id: s.users[role],
                username: role,
                displayName: role,
                role,
                jurisdictionCode: null,
                teamId: role === 'enforcement' ? s.teams.d1 : null,
              });
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (session) {
          headers.cookie = `mw_session=${session.id}`;
          headers['x-csrf-token'] = session.csrf;
        }
        const ctrl = new AbortController();
        const res = await fetch(base + target(e.url), {
          method: e.method,
          headers,
          body: e.method === 'GET' ? undefined : '{}',
          signal: ctrl.signal,
        });
        const isJson = (res.headers.get('content-type') ?? '').startsWith('application/json');
        const body = isJson ? ((await res.json()) as { code?: string }) : {};
        ctrl.abort();
        const allowed = allows(e.access, role);
        const refusedAs = role === null ? 'MW_AUTH_REQUIRED' : 'MW_FORBIDDEN';
        const ok = allowed
          ? body.code !== refusedAs && res.status !== 401
          : res.status === (role === null ? 401 : 403) && body.code === refusedAs;
        cells.push(
          `${ok ? 'ok ' : 'BAD'} ${role ?? 'anonymous'} ${e.method} ${e.url} → ${String(res.status)} ${body.code ?? ''}`,
        );
      }
    }
    expect(cells.filter((c) => c.startsWith('BAD'))).toEqual([]);
    expect(cells).toHaveLength((ROLES.length + 1) * Object.keys(POLICY).length);
  });

  it('rejects malformed input on every route that takes input with a 4xx and a code, and writes nothing', async () => {
    const sessions = new SessionStore(r.redis, r.ctx.prefix, 600);
    const counts = async (): Promise<string> =>
      JSON.stringify(
        (
          await db.pool.query(
            `SELECT (SELECT count(*) FROM audit_log) a, (SELECT count(*) FROM dispatches) d,
                    (SELECT count(*) FROM incident_transitions) t, (SELECT count(*) FROM users) u,
                    (SELECT count(*) FILTER (WHERE legal_hold) FROM evidence) h,
                    (SELECT string_agg(status, ',' ORDER BY id) FROM incidents) s`,
          )
        ).rows,
      );
    const before = await counts();
    const cells: string[] = [];
    for (const e of app.routeTable) {
      const takesId = e.url.includes(':id');
      if (e.method === 'GET' && !takesId) continue; // nothing to malform but unknown query keys, checked below
      const session = await sessions.create({
        id: s.users.admin,
        username: 'admin',
        displayName: 'admin',
        role: 'admin',
        jurisdictionCode: null,
        teamId: s.teams.d1,
      });
      const url = takesId ? e.url.replace(':id', 'not-a-number') : e.url;
      const res = await fetch(base + url, {
        method: e.method,
        headers: {
          'content-type': 'application/json',
          cookie: `mw_session=${session.id}`,
          'x-csrf-token': session.csrf,
        },
        body: e.method === 'GET' ? undefined : JSON.stringify({ zzz: 1 }),
      });
      const body = (await res.json()) as { code?: string };
      if (res.status < 400 || res.status >= 500 || body.code !== 'MW_VALIDATION')
        cells.push(`${e.method} ${e.url} → ${String(res.status)} ${body.code ?? ''}`);
    }
    for (const q of [
      '/api/incidents?zzz=1',
      '/api/audit?zzz=1',
      '/api/kpi?from=yesterday',
      '/api/incidents?page=0',
    ]) {
      const session = await sessions.create({
        id: s.users.admin,
        username: 'admin',
        displayName: 'admin',
        role: 'admin',
        jurisdictionCode: null,
        teamId: null,
      });
      const res = await fetch(base + q, { headers: { cookie: `mw_session=${session.id}` } });
      if (res.status !== 400) cells.push(`GET ${q} → ${String(res.status)}`);
    }
    expect(cells).toEqual([]);
    expect(await counts()).toBe(before);
  });
});

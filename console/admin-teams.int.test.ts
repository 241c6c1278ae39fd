import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../core/testing/services.js';
import type { ConsoleApp } from './app.js';
import { startAdminApp, type AdminTestApp } from './test-admin.js';
import { as, login, type Login, type Seeded } from './test-seed.js';

/** Teams and their districts; a user's role, scope and team; access changes end sessions. */
describe('teams and user administration API', () => {
  let env: AdminTestApp<TestDatabase, TestRedis>;
  let db: TestDatabase;
  let app: ConsoleApp;
  let s: Seeded;
  let admin: Login;

  beforeAll(async () => {
    env = await startAdminApp(await createTestDatabase(), createTestRedis(), 'mw-teams-');
    ({ db, app, s, admin } = env);
  });
  afterAll(() => env.close());

  const call = (who: Login, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url, headers: as(who), ...(payload === undefined ? {} : { payload }) });

  it('creates a team covering two districts; a district operator can dispatch to it', async () => {
    const res = await call(admin, 'POST', '/api/teams', {
      name: '机动中队',
      jurisdictionCode: 'D1',
      districts: ['D2'],
    });
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json<{ id: number }>().id;
    const d2op = await login(app, 'op-d2');
    const teams = (await call(d2op, 'GET', '/api/teams')).json<{ id: number; districts: string[] }[]>();
    expect(teams.find((t) => t.id === id)).toMatchObject({ districts: ['D2'] });
    const patch = await call(admin, 'PATCH', `/api/teams/${String(id)}`, { districts: [] });
    expect(patch.statusCode).toBe(200);
    const after = (await call(d2op, 'GET', '/api/teams')).json<{ id: number }[]>();
    expect(after.map((t) => t.id)).not.toContain(id);
    const { rows } = await db.pool.query<{ details: unknown }>(
      `SELECT details FROM audit_log WHERE action = 'team.update' AND target_id = $1`,
      [String(id)],
    );
    expect(rows[0]?.details).toEqual({ changes: { districts: { before: ['D2'], after: [] } } });
  });

  it('refuses unknown districts, a taken name, and unknown fields, changing nothing', async () => {
    const count = async () => (await db.pool.query('SELECT count(*) FROM teams')).rows[0] as unknown;
    const before = await count();
    for (const body of [
      { name: '新中队', districts: ['D9'] },
      { name: '东城一中队' },
      { name: 'x', colour: 'red' },
      { districts: ['D1'] },
    ]) {
      const res = await call(admin, 'POST', '/api/teams', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'MW_VALIDATION' });
    }
    expect(await count()).toEqual(before);
  });

  it('changes a user’s role and district: audited before → after, their sessions end', async () => {
    const victim = await login(app, 'op-d2');
    expect((await call(victim, 'GET', '/api/auth/me')).statusCode).toBe(200);
    const res = await call(admin, 'PATCH', `/api/users/${String(s.districtOperator)}`, {
      role: 'auditor',
      jurisdictionCode: 'D1',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await call(victim, 'GET', '/api/auth/me')).statusCode).toBe(401);
    const { rows } = await db.pool.query<{ details: unknown }>(
      `SELECT details FROM audit_log WHERE action = 'user.update' AND target_id = $1`,
      [String(s.districtOperator)],
    );
    expect(rows[0]?.details).toEqual({
      changes: {
        role: { before: 'operator', after: 'auditor' },
        jurisdictionCode: { before: 'D2', after: 'D1' },
      },
      sessionsEnded: true,
    });
    const bad = await call(admin, 'PATCH', `/api/users/${String(s.districtOperator)}`, {
      role: 'enforcement',
    });
    expect(bad.json()).toMatchObject({
      code: 'MW_VALIDATION',
      message: expect.stringMatching(/needs a team/) as unknown,
    });
    const noTeam = await call(admin, 'PATCH', `/api/users/${String(s.districtOperator)}`, { teamId: 99999 });
    expect(noTeam.json()).toMatchObject({ code: 'MW_VALIDATION' });
    await call(admin, 'POST', `/api/users/${String(s.districtOperator)}/disable`, { disabled: true });
    await call(admin, 'POST', `/api/users/${String(s.districtOperator)}/password`, {
      password: 'a-new-password',
    });
    const trail = await db.pool.query<{ action: string; details: unknown }>(
      `SELECT action, details FROM audit_log WHERE action IN ('user.disable', 'user.password') ORDER BY id`,
    );
    expect(trail.rows).toEqual([
      { action: 'user.disable', details: { changes: { disabled: { before: false, after: true } } } },
      { action: 'user.password', details: { changes: { password: { before: 'set', after: 'reset' } } } },
    ]);
    expect(JSON.stringify(trail.rows)).not.toContain('a-new-password');
    const operator = await login(app, 'operator');
    expect(
      (await call(operator, 'PATCH', `/api/users/${String(s.users.auditor)}`, { role: 'admin' })).statusCode,
    ).toBe(403);
  });
});

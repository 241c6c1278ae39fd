import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../core/testing/services.js';
import { DEFAULT_PARAMS, loadWorld } from '../rules/index.js';
import type { ConsoleApp } from './app.js';
import { startAdminApp, type AdminTestApp } from './test-admin.js';
import { as, login, type Login } from './test-seed.js';

interface Report {
  applied: boolean;
  headerErrors: string[];
  counts: Record<string, number>;
  rows: {
    line: number;
    key: string | null;
    action: string | null;
    changes: Record<string, { before: unknown; after: unknown }>;
    errors: string[];
  }[];
}

/** Fleet registry: companies, vehicles, terminals by API and by CSV with a dry-run report. */
describe('fleet registry API and CSV import', () => {
  let env: AdminTestApp<TestDatabase, TestRedis>;
  let db: TestDatabase;
  let app: ConsoleApp;
  let admin: Login;
  let operator: Login;

  beforeAll(async () => {
    env = await startAdminApp(await createTestDatabase(), createTestRedis(), 'mw-fleet-', (pool) =>
      pool.query(
        `INSERT INTO zones (kind, code, name, geom, width_m) VALUES
           ('approved_route', 'R-1', '核准线路一', ST_GeomFromText('LINESTRING(116.30 39.90, 116.40 39.95)', 4326), 60)`,
      ),
    );
    ({ db, app, admin } = env);
    operator = await login(app, 'operator');
  });
  afterAll(() => env.close());

  const call = (who: Login, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url, headers: as(who), ...(payload === undefined ? {} : { payload }) });
  const snapshot = async (): Promise<string> =>
    JSON.stringify(
      (
        await db.pool.query(
          `SELECT (SELECT json_agg(c ORDER BY id) FROM companies c) c, (SELECT json_agg(v ORDER BY id) FROM vehicles v) v,
                  (SELECT json_agg(t ORDER BY id) FROM terminals t) t, (SELECT count(*) FROM audit_log) a`,
        )
      ).rows,
    );
  const importCsv = (kind: string, csv: string, dryRun: boolean) =>
    call(admin, 'POST', '/api/fleet/import', { kind, csv, dryRun });

  it('dry-runs a CSV with broken rows: each row’s error and what would change, nothing written', async () => {
    const before = await snapshot();
    const csv = [
      'plate,company,permit_valid_from,permit_valid_to,approved_route,permitted_hours,load_sensor',
      '京B10001,城建运输,2026-01-01,2026-12-31,R-1,22:00-06:00,是',
      '京A12345,城建运输,2026-01-01,2026-12-31,,,yes',
      '京B10002,没有这家公司,2026-01-01,2026-12-31,,,no',
      '京B10003,城建运输,2026-02-30,2026-12-31,,,no',
      '京B10004,城建运输,2026-06-01,2026-01-01,R-9,25:00-06:00,maybe',
      '京B10001,城建运输,,,,,',
      ',城建运输,,,,,',
      '"京B 1",城建运输,,,,,',
    ].join('\r\n');
    const res = await importCsv('vehicles', csv, true);
    expect(res.statusCode, res.body).toBe(200);
    const rep = res.json<Report>();
    expect(rep.applied).toBe(false);
    expect(rep.rows.map((x) => [x.line, x.action])).toEqual([
      [2, 'create'],
      [3, 'update'],
      [4, null],
      [5, null],
      [6, null],
      [7, null],
      [8, null],
      [9, null],
    ]);
    expect(rep.counts).toEqual({ create: 1, update: 1, unchanged: 0, error: 6 });
    expect(rep.rows[1]?.changes).toEqual({
      permitValidFrom: { before: null, after: '2026-01-01' },
      permitValidTo: { before: null, after: '2026-12-31' },
      loadSensor: { before: 'false', after: 'true' },
    });
    const errs = (line: number): string => rep.rows.find((x) => x.line === line)?.errors.join(' | ') ?? '';
    expect(errs(4)).toMatch(/no company "没有这家公司"/);
    expect(errs(5)).toMatch(/permitValidFrom "2026-02-30" is not a date/);
    expect(errs(6)).toMatch(/approved route.*"R-9"/);
    expect(errs(6)).toMatch(/25:00-06:00/);
    expect(errs(6)).toMatch(/"maybe" is not yes\/no/);
    expect(errs(6)).toMatch(/permitValidTo 2026-01-01 is before permitValidFrom 2026-06-01/);
    expect(errs(7)).toMatch(/already on line 2/);
    expect(errs(8)).toMatch(/plate is required/);
    expect(errs(9)).toMatch(/not a plate/);
    const real = await importCsv('vehicles', csv, false);
    expect(real.statusCode).toBe(400);
    expect(real.json()).toMatchObject({ code: 'MW_IMPORT_INVALID' });
    expect(real.json<{ details: string[] }>().details[0]).toMatch(/^line 4 \(plate 京B10002\)/);
    expect(await snapshot()).toBe(before);
  });

  it('refuses an unknown column before looking at any row', async () => {
    const res = await importCsv('companies', 'name,colour\n新公司,red\n', true);
    expect(res.json<Report>().headerErrors.join()).toMatch(/column 2 "colour" is not a companies field/);
    expect(res.json<Report>().rows).toEqual([]);
  });

  it('imports clean CSVs for all three kinds, audits each row, and the rules see the vehicles', async () => {
    const companies = await importCsv(
      'companies',
      'name,license_no,jurisdiction_code\n新城渣土,LIC-9,D1\n',
      false,
    );
    expect(companies.json<Report>()).toMatchObject({ applied: true, counts: { create: 1 } });
    const vehicles = await importCsv(
      'vehicles',
      'plate,company,approved_route,permitted_hours,load_sensor\n京C20001,新城渣土,R-1,22:00-06:00,1\n京C20002,新城渣土,,,0\n',
      false,
    );
    expect(vehicles.json<Report>()).toMatchObject({ applied: true, counts: { create: 2 } });
    const terminals = await importCsv(
      'terminals',
      'terminal_id,vehicle,protocol_version\n013800000001,京C20001,2019\n',
      false,
    );
    expect(terminals.json<Report>()).toMatchObject({ applied: true, counts: { create: 1 } });
    const rebind = await importCsv('terminals', 'terminal_id,vehicle\n013800000002,京C20001\n', true);
    expect(rebind.json<Report>().rows[0]?.errors.join()).toMatch(/already carries terminal 013800000001/);
    const again = await importCsv(
      'vehicles',
      'plate,company,approved_route,permitted_hours,load_sensor\n京C20001,新城渣土,R-1,22:00-06:00,true\n',
      true,
    );
    expect(again.json<Report>().counts).toMatchObject({ unchanged: 1 });
    const w = await loadWorld(db.pool, DEFAULT_PARAMS);
    const v = [...w.world.vehicles.values()].find((x) => x.plate === '京C20001');
    expect(v).toMatchObject({
      loadSensor: true,
      permittedHours: { tz: 'Asia/Shanghai', windows: [{ from: '22:00', to: '06:00' }] },
    });
    expect(v?.approvedRouteId).toBeGreaterThan(0);
    expect(w.terminals.get('13800000001')).toBe(v?.id);
    const audit = await db.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE details->>'via' = 'csv' ORDER BY id`,
    );
    expect(audit.rows.map((a) => a.action)).toEqual([
      'company.create',
      'vehicle.create',
      'vehicle.create',
      'terminal.create',
    ]);
    const exported = await call(operator, 'GET', '/api/fleet/export?kind=vehicles');
    expect(exported.headers['content-type']).toMatch(/text\/csv/);
    expect(exported.body).toContain('京C20001,新城渣土');
    const roundTrip = await importCsv('vehicles', exported.body, true);
    expect(roundTrip.json<Report>().counts).toMatchObject({ create: 0, update: 0, error: 0 });
  });

  it('creates and changes single rows; bad values are coded errors; only admins write', async () => {
    const created = await call(admin, 'POST', '/api/fleet/vehicles', {
      plate: '京D30001',
      company: '城建运输',
      loadSensor: true,
    });
    expect(created.statusCode, created.body).toBe(200);
    const id = created.json<{ id: number }>().id;
    const sigBefore = (await loadWorld(db.pool, DEFAULT_PARAMS)).signature;
    const renamed = await call(admin, 'PATCH', `/api/fleet/vehicles/${String(id)}`, {
      plate: '京D30009',
      permitNo: 'P-1',
    });
    expect(renamed.json()).toMatchObject({
      id,
      plate: '京D30009',
      permitNo: 'P-1',
      loadSensor: 'true',
      company: '城建运输',
    });
    const { rows } = await db.pool.query<{ details: { changes: Record<string, unknown> } }>(
      `SELECT details FROM audit_log WHERE action = 'vehicle.update' AND target_id = $1`,
      [String(id)],
    );
    // The rules worker reloads when the signature moves: a plate changed in place must move it.
    expect((await loadWorld(db.pool, DEFAULT_PARAMS)).signature).not.toBe(sigBefore);
    expect(rows[0]?.details.changes).toEqual({
      plate: { before: '京D30001', after: '京D30009' },
      permitNo: { before: null, after: 'P-1' },
    });
    const before = await snapshot();
    for (const [url, body] of [
      ['/api/fleet/vehicles', { plate: '京D30009' }],
      ['/api/fleet/vehicles', { plate: '京D30010', company: 'nobody' }],
      [`/api/fleet/vehicles/${String(id)}`, { permitValidTo: 'tomorrow' }],
      [`/api/fleet/vehicles/${String(id)}`, { colour: 'red' }],
      ['/api/fleet/terminals', { terminalId: 'ABC' }],
      ['/api/fleet/companies', { name: '' }],
    ] as const) {
      const res = await call(admin, url.endsWith(String(id)) ? 'PATCH' : 'POST', url, body);
      expect(res.statusCode, `${url} ${JSON.stringify(body)}`).toBe(400);
      expect(res.json()).toMatchObject({ code: 'MW_VALIDATION' });
    }
    expect((await call(operator, 'POST', '/api/fleet/companies', { name: 'x' })).statusCode).toBe(403);
    expect(
      (
        await call(operator, 'POST', '/api/fleet/import', {
          kind: 'companies',
          csv: 'name\nx',
          dryRun: false,
        })
      ).statusCode,
    ).toBe(403);
    expect(await snapshot()).toBe(before);
    expect(
      (await call(operator, 'GET', '/api/fleet/vehicles')).json<{ plate: string }[]>().map((v) => v.plate),
    ).toContain('京D30009');
  });
});

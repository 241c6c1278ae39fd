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

const square = (lon: number, lat: number, d = 0.001): number[][][] => [
  [
    [lon, lat],
    [lon + d, lat],
    [lon + d, lat + d],
    [lon, lat + d],
    [lon, lat],
  ],
];
const feature = (code: string, kind: string, coordinates: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates },
  properties: { code, kind, name: code, ...extra },
});

/** Geo zones: draw/edit/deactivate one, import/export GeoJSON with per-feature errors, audit. */
describe('zone administration API', () => {
  let env: AdminTestApp<TestDatabase, TestRedis>;
  let db: TestDatabase;
  let app: ConsoleApp;
  let admin: Login;
  let operator: Login;

  beforeAll(async () => {
    env = await startAdminApp(await createTestDatabase(), createTestRedis(), 'mw-zone-admin-');
    ({ db, app, admin } = env);
    operator = await login(app, 'operator');
  });
  afterAll(() => env.close());

  const call = (who: Login, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, headers: as(who), ...(payload === undefined ? {} : { payload }) });
  const zoneCount = async (): Promise<string> =>
    JSON.stringify(
      (await db.pool.query('SELECT code, active, ST_AsText(geom) g FROM zones ORDER BY id')).rows,
    );
  const rulesZones = async (): Promise<string[]> => {
    const w = await loadWorld(db.pool, DEFAULT_PARAMS);
    return w.world.zones.zones.map((z) => z.code).sort();
  };

  let siteId = 0;

  it('creates a drawn zone with a schedule; the rules load it; before → after is audited', async () => {
    const res = await call(
      admin,
      'POST',
      '/api/zones',
      feature('SITE-7', 'construction_site', square(116.36, 39.95), {
        schedule: { tz: 'Asia/Shanghai', windows: [{ days: [1, 2, 3, 4, 5], from: '07:00', to: '19:00' }] },
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    siteId = res.json<{ id: number }>().id;
    expect(await rulesZones()).toContain('SITE-7');
    const edit = await call(
      admin,
      'PUT',
      `/api/zones/${String(siteId)}`,
      feature('SITE-7', 'construction_site', square(116.37, 39.95)),
    );
    expect(edit.statusCode, edit.body).toBe(200);
    const { rows } = await db.pool.query<{
      details: { changes: Record<string, { before: unknown; after: unknown }> };
    }>(`SELECT details FROM audit_log WHERE action = 'zone.update' AND target_id = $1`, [String(siteId)]);
    const changes = rows[0]?.details.changes ?? {};
    expect(Object.keys(changes).sort()).toEqual(['geometry', 'properties']);
    expect(JSON.stringify(changes.geometry?.before)).toContain('116.36');
    expect(JSON.stringify(changes.geometry?.after)).toContain('116.37');
  });

  it('refuses a crossing polygon, an empty geometry, projected coordinates and a taken code, naming the zone', async () => {
    const before = await zoneCount();
    const cases: [object, RegExp][] = [
      [
        feature('BOW', 'no_vending', [
          [
            [116.3, 39.9],
            [116.31, 39.91],
            [116.31, 39.9],
            [116.3, 39.91],
            [116.3, 39.9],
          ],
        ]),
        /zone \(code BOW\): ring 0 crosses itself/,
      ],
      [feature('EMPTY', 'no_vending', []), /geometry is empty/],
      [feature('UTM', 'no_vending', square(500000, 4420000, 100)), /not longitude\/latitude/],
      [feature('D1', 'no_vending', square(116.3, 39.9)), /D1 is already used/],
    ];
    for (const [body, re] of cases) {
      const res = await call(admin, 'POST', '/api/zones', body);
      expect(res.statusCode).toBe(400);
      const b = res.json<{ code: string; message: string; details: string[] }>();
      expect(b.code).toBe('MW_ZONE_INVALID');
      expect(`${b.message} ${b.details.join(' ')}`).toMatch(re);
    }
    expect(await zoneCount()).toBe(before);
  });

  it('dry-runs an import: every broken feature named, what would change, nothing written; a real import with errors writes nothing', async () => {
    const before = await zoneCount();
    const doc = {
      type: 'FeatureCollection',
      features: [
        feature('NEW-1', 'no_vending', square(116.38, 39.95)),
        feature('SITE-7', 'construction_site', square(116.39, 39.95)),
        feature('BAD-SELF', 'no_vending', [
          [
            [0, 0],
            [1, 1],
            [1, 0],
            [0, 1],
            [0, 0],
          ],
        ]),
        { type: 'Feature', geometry: null, properties: { code: 'NOGEOM', kind: 'no_vending' } },
        feature('NEW-1', 'no_vending', square(116.3, 39.9)),
        feature('KIND', 'parking_lot', square(116.3, 39.9)),
      ],
    };
    const dry = await call(admin, 'POST', '/api/zones/import', { geojson: doc, dryRun: true });
    expect(dry.statusCode, dry.body).toBe(200);
    const report = dry.json<{
      applied: boolean;
      counts: Record<string, number>;
      features: { code: string; action: string | null; errors: string[] }[];
    }>();
    expect(report.applied).toBe(false);
    expect(report.counts).toEqual({ create: 1, update: 1, unchanged: 0, error: 4 });
    expect(report.features.map((f) => [f.code, f.action, f.errors.length > 0])).toEqual([
      ['NEW-1', 'create', false],
      ['SITE-7', 'update', false],
      ['BAD-SELF', null, true],
      ['NOGEOM', null, true],
      ['NEW-1', null, true],
      ['KIND', null, true],
    ]);
    expect(report.features[2]?.errors.join()).toMatch(/crosses itself/);
    expect(report.features[3]?.errors.join()).toMatch(/geometry is missing/);
    expect(report.features[4]?.errors.join()).toMatch(/already used by feature #0/);
    const real = await call(admin, 'POST', '/api/zones/import', { geojson: doc, dryRun: false });
    expect(real.statusCode).toBe(400);
    expect(real.json<{ details: string[] }>().details).toHaveLength(4);
    expect(real.json<{ details: string[] }>().details[0]).toMatch(/^feature #2 \(code BAD-SELF\)/);
    const crs = await call(admin, 'POST', '/api/zones/import', {
      geojson: { ...doc, crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } } },
      dryRun: true,
    });
    expect(crs.json<{ code: string; message: string }>()).toMatchObject({ code: 'MW_ZONE_INVALID' });
    expect(crs.json<{ message: string }>().message).toMatch(/EPSG::3857/);
    expect(await zoneCount()).toBe(before);
  });

  it('exports GeoJSON that imports back unchanged; a clean import applies and is audited per zone', async () => {
    const kml = await call(operator, 'GET', '/api/zones/export.kml');
    expect(kml.headers['content-type']).toMatch(/kml/);
    expect(kml.body).toMatch(
      /<Placemark><name>东城区<\/name>.*<Data name="code"><value>D1<\/value><\/Data>.*<outerBoundaryIs>/s,
    );
    const exp = await call(operator, 'GET', '/api/zones/export');
    expect(exp.statusCode).toBe(200);
    const fc = exp.json<{ features: object[] }>();
    const again = await call(admin, 'POST', '/api/zones/import', { geojson: fc, dryRun: true });
    expect(again.json<{ counts: Record<string, number> }>().counts).toMatchObject({
      create: 0,
      update: 0,
      error: 0,
      unchanged: fc.features.length,
    });
    const doc = {
      type: 'FeatureCollection',
      features: [...fc.features, feature('NEW-2', 'disposal_site', square(116.41, 39.95))],
    };
    const res = await call(admin, 'POST', '/api/zones/import', { geojson: doc, dryRun: false });
    expect(res.json()).toMatchObject({ applied: true, counts: { create: 1, update: 0 } });
    expect(await rulesZones()).toContain('NEW-2');
    const audit = await db.pool.query(
      `SELECT 1 FROM audit_log WHERE action = 'zone.create' AND details->>'via' = 'import'`,
    );
    expect(audit.rowCount).toBe(1);
  });

  it('deactivates a zone (the rules drop it); operators may export but not change', async () => {
    expect((await call(admin, 'DELETE', `/api/zones/${String(siteId)}`)).statusCode).toBe(200);
    expect(await rulesZones()).not.toContain('SITE-7');
    expect(
      (await call(operator, 'POST', '/api/zones', feature('X', 'no_vending', square(116.3, 39.9))))
        .statusCode,
    ).toBe(403);
    expect((await call(operator, 'DELETE', `/api/zones/${String(siteId)}`)).statusCode).toBe(403);
    expect((await call(admin, 'DELETE', '/api/zones/999999')).json()).toMatchObject({ code: 'MW_NOT_FOUND' });
  });
});

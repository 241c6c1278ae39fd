import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MuckError } from '../errors.js';
import { createTestDatabase, type TestDatabase } from '../testing/services.js';
import { loadMigrations, migrate } from './migrate.js';
import { parseMigrations } from './migration-files.js';

describe('migrations on a real PostGIS', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await db.cleanup();
  });

  it('apply to an empty schema, then a second run applies nothing', async () => {
    const all = loadMigrations();
    const first = await migrate(db.pool, db.schema);
    expect(first.applied).toEqual(all.map((m) => m.version));
    const second = await migrate(db.pool, db.schema);
    expect(second.applied).toEqual([]);
    expect(second.current).toBe(all.length);

    const { rows } = await db.pool.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
      [db.schema],
    );
    const tables = rows.map((r) => r.table_name);
    for (const t of [
      'cameras',
      'zones',
      'companies',
      'vehicles',
      'terminals',
      'gps_points',
      'detections',
      'incidents',
      'incident_vehicles',
      'evidence',
      'dispatches',
      'teams',
      'users',
      'roles',
      'audit_log',
    ]) {
      expect(tables).toContain(t);
    }
  });

  it('run concurrently from several processes without racing', async () => {
    const results = await Promise.all([1, 2, 3].map(() => migrate(db.pool, db.schema)));
    expect(results.every((r) => r.applied.length === 0)).toBe(true);
  });

  it('refuse to run when an applied migration was edited', async () => {
    const edited = loadMigrations().map((m, i) => ({
      filename: `${String(m.version).padStart(4, '0')}_${m.name}.sql`,
      sql: i === 0 ? `${m.sql}\n-- edited` : m.sql,
    }));
    await expect(migrate(db.pool, db.schema, parseMigrations(edited))).rejects.toSatisfy(
      (e) => e instanceof MuckError && e.code === 'MW_MIGRATION_EDITED',
    );
  });

  it('PostGIS answers ST_DWithin on geography (metres)', async () => {
    // Two points ~111 m apart along a meridian near Shenzhen.
    const { rows } = await db.pool.query<{ near: boolean; far: boolean; d: number }>(`
      SELECT ST_DWithin(a::geography, b::geography, 150) AS near,
             ST_DWithin(a::geography, b::geography, 50)  AS far,
             ST_Distance(a::geography, b::geography)      AS d
      FROM (SELECT ST_SetSRID(ST_MakePoint(114.05, 22.540), 4326) AS a,
                   ST_SetSRID(ST_MakePoint(114.05, 22.541), 4326) AS b) p`);
    expect(rows[0]?.near).toBe(true);
    expect(rows[0]?.far).toBe(false);
    expect(rows[0]?.d).toBeGreaterThan(105);
    expect(rows[0]?.d).toBeLessThan(115);
  });

  it('stores GPS points in monthly partitions and rejects duplicates per (device, fix time)', async () => {
    const { rows: part } = await db.pool.query<{ p: string }>(
      "SELECT ensure_gps_points_partition('2026-11-05') AS p",
    );
    expect(part[0]?.p).toBe('gps_points_202611');
    const insert = `INSERT INTO gps_points (device_id, fix_time, geom, source)
                    VALUES ('013912345678', '2026-11-27T08:00:00+08:00', ST_SetSRID(ST_MakePoint(114.05, 22.54), 4326), 'jt808')
                    ON CONFLICT DO NOTHING`;
    expect((await db.pool.query(insert)).rowCount).toBe(1);
    expect((await db.pool.query(insert)).rowCount).toBe(0);
    const { rows } = await db.pool.query<{ t: string }>(
      'SELECT tableoid::regclass::text AS t FROM gps_points',
    );
    expect(rows[0]?.t).toContain('gps_points_202611');
  });

  it('enforces the domain constraints in SQL', async () => {
    await expect(
      db.pool.query("INSERT INTO incidents (type, dedupe_key, started_at) VALUES ('littering', 'k1', now())"),
    ).rejects.toThrow(/check constraint/);
    await expect(
      db.pool.query(
        "INSERT INTO zones (kind, code, name, geom) VALUES ('approved_route', 'r1', 'route', ST_GeomFromText('LINESTRING(114 22, 114.1 22.1)', 4326))",
      ),
    ).rejects.toThrow(/check constraint/);
  });
});

/**
 * Fleet CSV import at city scale: 10,000 vehicles through POST /api/fleet/import (parse, check
 * every row against the registry, dry-run report; then the real import, one transaction, one audit
 * entry per row). Reported: rows per second of the real import; baseline: the same rows as one
 * plain multi-row INSERT, measured in the same run.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { buildApp, createUser } from '../console/index.js';
import { createPool, ident, loadProcessConfig, migrate } from '../core/index.js';
import type { Benchmark } from './record.js';

const ROWS = 10_000;

const bench: Benchmark = {
  name: 'fleet-import',
  async run() {
    const config = loadProcessConfig([]);
    const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const pool = createPool({ ...config.database, schema, poolSize: 4 });
    await migrate(pool, schema);
    const prefix = `bench-${randomUUID()}`;
    const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
    const app = buildApp({ pool, redis, redisPrefix: prefix, web: false });
    try {
      await pool.query(`INSERT INTO companies (name) VALUES ('城建运输'), ('新城渣土'), ('顺达运输')`);
      await createUser(
        pool,
        {
          username: 'admin',
          displayName: 'admin',
          password: 'bench-password',
          role: 'admin',
          jurisdictionCode: null,
          teamId: null,
        },
        { id: null, name: 'bench' },
      );
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: 'bench-password' },
      });
      const headers = {
        cookie: String(login.headers['set-cookie']).split(';')[0] ?? '',
        'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken,
      };
      const companies = ['城建运输', '新城渣土', '顺达运输'];
      const rows = Array.from({ length: ROWS }, (_, i) => [
        `京Z${String(i).padStart(5, '0')}`,
        companies[i % 3] ?? '',
        '2026-01-01',
        '2026-12-31',
        '22:00-06:00',
        i % 2 === 0 ? '是' : '否',
      ]);
      const csv = [
        'plate,company,permit_valid_from,permit_valid_to,permitted_hours,load_sensor',
        ...rows.map((r) => r.join(',')),
      ].join('\n');
      const call = async (dryRun: boolean): Promise<number> => {
        const t0 = performance.now();
        const res = await app.inject({
          method: 'POST',
          url: '/api/fleet/import',
          headers,
          payload: { kind: 'vehicles', csv, dryRun },
        });
        if (res.statusCode !== 200)
          throw new Error(`import: ${String(res.statusCode)} ${res.body.slice(0, 300)}`);
        return (performance.now() - t0) / 1000;
      };
      const dryS = await call(true);
      const applyS = await call(false);
      const count = await pool.query<{ n: string }>('SELECT count(*) n FROM vehicles');
      if (Number(count.rows[0]?.n) !== ROWS) throw new Error('not every row was imported');
      // Baseline: the same rows in one INSERT, no checks, no audit.
      await pool.query('DELETE FROM vehicles');
      const t0 = performance.now();
      await pool.query(
        `INSERT INTO vehicles (plate, company_id, permit_valid_from, permit_valid_to, load_sensor)
         SELECT p, (SELECT id FROM companies WHERE name = c), '2026-01-01', '2026-12-31', s
           FROM unnest($1::text[], $2::text[], $3::boolean[]) AS t(p, c, s)`,
        [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[5] === '是')],
      );
      const plainS = (performance.now() - t0) / 1000;
      process.stdout.write(
        `fleet-import: dry run ${dryS.toFixed(2)} s, import ${applyS.toFixed(2)} s, plain INSERT ${plainS.toFixed(3)} s for ${String(ROWS)} rows\n`,
      );
      return {
        metric: `vehicles imported per second from a ${String(ROWS)}-row CSV (checked, audited per row; dry run ${dryS.toFixed(1)} s)`,
        value: Math.round(ROWS / applyS),
        unit: 'rows/s',
        baseline: Math.round(ROWS / plainS),
        target: `a ${String(ROWS)}-vehicle city in < 60 s`,
      };
    } finally {
      await app.close();
      await pool.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
      await pool.end();
      redis.disconnect();
    }
  },
};
export default bench;

/**
 * Replay of a stored day: a synthetic fleet's day of GPS points (one per 10 s) is written to
 * PostGIS, then `replayPeriod` reads it back in time order (server-side cursor) and runs it
 * through the rules. The target is a day of 1,000 trucks (8.64 M points) in < 10 min; this run
 * stores a day of TRUCKS trucks and projects linearly from its measured rate (each point costs the
 * same whatever the fleet size: per-vehicle state, one ordered index scan). `--trucks=1000` runs
 * the full size instead (about 2 GB of points written first). Baseline: reading the same rows
 * through the same cursor without the rules.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import { createPool, ident, loadProcessConfig, migrate, type Pool } from '../core/index.js';
import { fleetTicks, readInputs, replayPeriod, syntheticCity } from '../rules/index.js';
import type { Benchmark } from './record.js';

const TRUCKS = Number(
  /^--trucks=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--trucks=')) ?? '')?.[1] ?? 100,
);
const FULL = 1000;
const TICKS = 8640; // one day at 10 s
const TARGET_POINTS = 8_640_000;

/** The fleet's day into gps_points with COPY (the fastest way in; the write is not what is measured). */
async function store(pool: Pool, t0: number): Promise<number> {
  const city = syntheticCity({ zones: 1000, vehicles: TRUCKS });
  let n = 0;
  function* lines(): Generator<string> {
    for (const tick of fleetTicks(city, t0, TICKS)) {
      let chunk = '';
      for (const f of tick) {
        chunk += `dev-${String(f.vehicleId)}\t${String(f.vehicleId)}\t${new Date(f.t).toISOString()}\tSRID=4326;POINT(${String(f.lon)} ${String(f.lat)})\t${String(f.speedKmh ?? 0)}\treplay\n`;
        n++;
      }
      yield chunk;
    }
  }
  const client = await pool.connect();
  try {
    await pipeline(
      Readable.from(lines()),
      client.query(
        copyStreams.from(
          'COPY gps_points (device_id, vehicle_id, fix_time, geom, speed_kmh, source) FROM STDIN',
        ),
      ),
    );
  } finally {
    client.release();
  }
  await pool.query('ANALYZE gps_points');
  return n;
}

const bench: Benchmark = {
  name: 'rules-replay',
  async run() {
    const base = loadProcessConfig([]).database;
    const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const pool = createPool({ ...base, schema, poolSize: 4 });
    try {
      await migrate(pool, schema);
      await pool.query(`SELECT ensure_gps_points_partition('2026-03-01')`);
      const t0 = Date.parse('2026-03-01T16:00:00Z'); // 00:00 in Shanghai
      const from = new Date(t0);
      const to = new Date(t0 + 86_400_000);
      const n = await store(pool, t0);
      const { world } = syntheticCity({ zones: 1000, vehicles: TRUCKS });

      const r0 = performance.now();
      let read = 0;
      for await (const batch of readInputs(pool, world, from, to)) read += batch.length;
      const readS = (performance.now() - r0) / 1000;

      const s0 = performance.now();
      const result = await replayPeriod(pool, world, { from, to });
      const seconds = (performance.now() - s0) / 1000;
      if (result.points !== n || read !== n)
        throw new Error(`replayed ${result.points}/${read} of ${n} points`);
      const rate = n / seconds;
      const full = TRUCKS >= FULL;
      const projectedMin = full ? seconds / 60 : TARGET_POINTS / rate / 60;
      process.stdout.write(
        `rules-replay: ${n} points (${TRUCKS} trucks × 1 day) replayed in ${seconds.toFixed(1)} s = ${Math.round(rate)}/s ` +
          `(${result.incidents.length} incidents); read alone ${readS.toFixed(1)} s; ` +
          `${full ? 'measured' : 'projected'} for 8.64 M points: ${projectedMin.toFixed(2)} min\n`,
      );
      return {
        metric: full
          ? `replay of a day of ${String(TRUCKS)} trucks (${(n / 1e6).toFixed(2)} M points), measured at full size`
          : `replay of a day of 1,000 trucks (8.64 M points), projected from ${String(TRUCKS)} trucks × 1 day measured`,
        value: Math.round(projectedMin * 100) / 100,
        unit: 'min',
        baseline: Math.round(((full ? readS : TARGET_POINTS / (n / readS)) / 60) * 100) / 100,
        target: '< 10 min (baseline: the same cursor read without the rules)',
      };
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
      await pool.end();
    }
  },
};
export default bench;

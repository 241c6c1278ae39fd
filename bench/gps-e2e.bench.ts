/**
 * End to end: simulated terminals over real TCP → gateway (decode, filters) → PostGIS
 * (batched INSERT … ON CONFLICT) → `gps-points` queue (many points per job) + live-map hash, in
 * order per vehicle.
 * Throughput counts a point when it is acknowledged AND on the queue. The baseline is a plain
 * COPY of the same points into an identical gps_points table, in the same run.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import { createPool, createRedis, ident, loadProcessConfig, migrate, type Pool } from '../core/index.js';
import {
  generateFleet,
  jt808,
  queuedPoints,
  seedFleet,
  startGpsHarness,
  type ScenarioTrack,
} from '../ingest/index.js';
import type { Benchmark } from './record.js';

/** CPU seconds of each PostgreSQL process now (pid → s), and of Redis. */
async function serviceCpu(
  redis: ReturnType<typeof createRedis>,
): Promise<{ pg: Map<string, number>; redis: number }> {
  const tick = 100; // USER_HZ on Linux
  const pg = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      pg.set(pid, (Number(f[11]) + Number(f[12])) / tick);
    } catch {
      // the process ended while we looked
    }
  }
  const info = await redis.info('cpu');
  const num = (k: string): number => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return { pg, redis: num('used_cpu_user') + num('used_cpu_sys') };
}

/**
 * PostgreSQL CPU between two snapshots: processes alive in both, plus those started in between
 * (other users' backends started meanwhile count too, so this errs high).
 */
function pgDelta(a: Map<string, number>, b: Map<string, number>): number {
  let d = 0;
  for (const [pid, t] of b) d += t - (a.get(pid) ?? 0);
  return d;
}

const TERMINALS = 40;
const POINTS = 120_000;
const WINDOW = 256;
const SEED = 3;

async function schemaPool(
  base: ReturnType<typeof loadProcessConfig>['database'],
  schema: string,
): Promise<Pool> {
  const pool = createPool({ ...base, schema, poolSize: 8 });
  await migrate(pool, schema);
  return pool;
}

/** The terminals run in their own process, as trucks are their own machines. */
function simulate(port: number, startMs: number): Promise<{ acked: number; cpuS: number }> {
  return new Promise((resolve, reject) => {
    const args = [
      '--import',
      'tsx',
      'ingest/gps/simulator/cli.ts',
      '--port',
      String(port),
      '--trucks',
      String(TERMINALS),
    ];
    args.push(
      '--points',
      String(POINTS / TERMINALS),
      '--interval',
      '1',
      '--start',
      String(startMs),
      '--seed',
      String(SEED),
    );
    args.push('--window', String(WINDOW));
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`simulator exited with ${String(code)}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as { acked: number; cpuS: number });
    });
  });
}

async function copyBaseline(pool: Pool, tracks: readonly ScenarioTrack[]): Promise<number> {
  const lines: string[] = [];
  const now = new Date().toISOString();
  for (const t of tracks) {
    for (const p of t.points) {
      const fix = new Date(typeof p.t === 'number' ? p.t : Date.parse(p.t)).toISOString();
      lines.push(
        `${t.terminalId}\t\\N\t${fix}\t${now}\tSRID=4326;POINT(${String(p.lon)} ${String(p.lat)})\t${String(p.speed ?? 0)}\t${String(p.heading ?? 0)}\t0\t0\t${String(jt808.STATUS.FIX | jt808.loadStateBits(p.loadState ?? 'empty'))}\t${p.loadState ?? 'empty'}\tjt808\t{}\n`,
      );
    }
  }
  const client = await pool.connect();
  try {
    const start = process.hrtime.bigint();
    const sink = client.query(
      copyStreams.from(
        'COPY gps_points (device_id, vehicle_id, fix_time, received_at, geom, speed_kmh, heading_deg, altitude_m, alarm_bits, status_bits, load_state, source, extra) FROM STDIN',
      ),
    );
    await pipeline(Readable.from(lines), sink);
    return Number(process.hrtime.bigint() - start) / 1e9;
  } finally {
    client.release();
  }
}

const bench: Benchmark = {
  name: 'gps-e2e',
  async run() {
    const config = loadProcessConfig([]);
    const tag = randomUUID().replace(/-/g, '').slice(0, 12);
    const schemas = [`bench_gps_${tag}`, `bench_copy_${tag}`];
    const prefix = `bench-${tag}`;
    const pool = await schemaPool(config.database, schemas[0] as string);
    const copyPool = await schemaPool(config.database, schemas[1] as string);
    const redis = createRedis(config.redis.url);
    const startMs = Math.floor(Date.now() / 1000) * 1000 - 2 * 86_400_000;
    const tracks = generateFleet({
      trucks: TERMINALS,
      pointsPerTruck: POINTS / TERMINALS,
      startMs,
      intervalS: 1,
      seed: 3,
    });
    await seedFleet(
      pool,
      tracks.map((t) => ({ plate: t.plate, terminalId: t.terminalId })),
    );
    // Partitions exist before the clock starts, as they do on a running system after its first minute.
    for (const p of [startMs, startMs + 86_400_000 * 3]) {
      await pool.query('SELECT ensure_gps_points_partition($1::date)', [
        new Date(p).toISOString().slice(0, 10),
      ]);
      await copyPool.query('SELECT ensure_gps_points_partition($1::date)', [
        new Date(p).toISOString().slice(0, 10),
      ]);
    }
    const h = await startGpsHarness({ pool, redis, queues: { url: config.redis.url, prefix } });
    try {
      const svc0 = await serviceCpu(redis);
      const start = process.hrtime.bigint();
      const cpu0 = process.cpuUsage();
      const sim = await simulate(h.port, startMs);
      const acked = sim.acked;
      const ackSeconds = Number(process.hrtime.bigint() - start) / 1e9;
      await h.intake.publisher.idle();
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const cpu = process.cpuUsage(cpu0);
      const svc1 = await serviceCpu(redis);
      const cpuTotal =
        (cpu.user + cpu.system) / 1e6 + sim.cpuS + pgDelta(svc0.pg, svc1.pg) + (svc1.redis - svc0.redis);
      const stored = Number(
        (await pool.query<{ n: string }>('SELECT count(*) AS n FROM gps_points')).rows[0]?.n,
      );
      const queued = (await queuedPoints(h.queue)).length;
      if (acked !== POINTS || stored !== POINTS || queued !== POINTS) {
        throw new Error(
          `acked ${String(acked)}, stored ${String(stored)}, queued ${String(queued)} of ${String(POINTS)}`,
        );
      }
      const copySeconds = await copyBaseline(copyPool, tracks);
      // The machine is shared: its load says how much of the two cores the pipeline could get.
      const perCpuS = Math.round(POINTS / cpuTotal);
      const value = Math.round(POINTS / seconds);
      const baseline = Math.round(POINTS / copySeconds);
      process.stdout.write(
        `gps-e2e: ${String(POINTS)} points from ${String(TERMINALS)} terminals in ${seconds.toFixed(2)} s ` +
          `(all acknowledged = durable in PostGIS after ${ackSeconds.toFixed(2)} s; ` +
          `process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, simulator in its own process); ` +
          `plain COPY ${copySeconds.toFixed(2)} s; writer ${JSON.stringify(h.intake.writer.stats)}; ` +
          `publisher ${JSON.stringify(h.intake.publisher.stats)}; CPU: gateway ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, ` +
          `PostgreSQL ${pgDelta(svc0.pg, svc1.pg).toFixed(1)} s, Redis ${(svc1.redis - svc0.redis).toFixed(1)} s, ` +
          `simulator ${sim.cpuS.toFixed(1)} s → ${String(perCpuS)} points per CPU-second of the whole ` +
          `pipeline (terminals included)\n`,
      );
      return {
        metric:
          'points/s gateway → PostGIS → queue (acked, stored, queued); baseline: plain COPY of the same points; ' +
          `${String(perCpuS)} points per CPU-second of the whole pipeline, terminals included ` +
          `(load average ${loadavg()[0]?.toFixed(1) ?? '?'} during the run)`,
        value,
        unit: 'points/s',
        baseline,
        target: '≥ 10,000',
      };
    } finally {
      await h.close();
      for (const s of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${ident(s)} CASCADE`);
      await pool.end();
      await copyPool.end();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    }
  },
};
export default bench;

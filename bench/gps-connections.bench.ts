/**
 * 10,000 terminals connected at once, each reporting every 10 s (the load shape):
 * the gateway's memory and CPU while it holds them. The terminals run in their own process.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { createPool, createRedis, ident, loadProcessConfig, migrate } from '../core/index.js';
import { startGpsHarness } from '../ingest/index.js';
import type { Benchmark } from './record.js';

interface Summary {
  connected: number;
  acked: number;
  failed: number;
}

const LINKS = 10_000;
const HOLD_S = 60;
const EVERY_S = 10;
const FIRST = 13700000000;

const bench: Benchmark = {
  name: 'gps-connections',
  async run() {
    const config = loadProcessConfig([]);
    const tag = randomUUID().replace(/-/g, '').slice(0, 12);
    const schema = `bench_conn_${tag}`;
    const prefix = `bench-${tag}`;
    const pool = createPool({ ...config.database, schema, poolSize: 8 });
    await migrate(pool, schema);
    await pool.query(
      `WITH v AS (INSERT INTO vehicles (plate)
                  SELECT '粤B' || lpad((10000 + i)::text, 5, '0') FROM generate_series(0, $1 - 1) i RETURNING id, plate)
       INSERT INTO terminals (terminal_id, vehicle_id, auth_code)
       SELECT lpad(($2::bigint + substr(plate, 3)::int - 10000)::text, 12, '0'), id, 'bench' FROM v`,
      [LINKS, FIRST],
    );
    const redis = createRedis(config.redis.url);
    const h = await startGpsHarness({
      pool,
      redis,
      queues: { url: config.redis.url, prefix },
      heartbeatTimeoutMs: 120_000,
      settings: { flushMs: 50 },
    });
    const rssBefore = process.memoryUsage().rss;
    try {
      const args = ['--import', 'tsx', 'ingest/gps/simulator/cli.ts', '--port', String(h.port)];
      args.push(
        '--trucks',
        String(LINKS),
        '--points',
        '10',
        '--first',
        String(FIRST),
        '--auth-code',
        'bench',
      );
      args.push('--hold', String(HOLD_S), '--every', String(EVERY_S));
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      let ready = 0;
      let cpu0 = process.cpuUsage();
      let t0 = process.hrtime.bigint();
      let rssMax = 0;
      let heapMax = 0;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        if (ready > 0) {
          rssMax = Math.max(rssMax, m.rss);
          heapMax = Math.max(heapMax, m.heapUsed);
        }
      }, 1000);
      let last: Summary | null = null;
      for await (const line of createInterface({ input: child.stdout })) {
        const msg = JSON.parse(line) as {
          ready?: number;
          connected?: number;
          acked?: number;
          failed?: number;
        };
        if (msg.ready !== undefined) {
          ready = msg.ready;
          cpu0 = process.cpuUsage();
          t0 = process.hrtime.bigint();
          process.stdout.write(
            `gps-connections: ${String(ready)} links up, open on the gateway: ${String(h.gateway.stats.open)}\n`,
          );
        } else last = msg as Summary;
      }
      clearInterval(sampler);
      const cpu = process.cpuUsage(cpu0);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpuPct = (100 * (cpu.user + cpu.system)) / 1e6 / seconds;
      if (!last || last.connected !== LINKS || last.failed > 0)
        throw new Error(`simulator: ${JSON.stringify(last)}`);
      const rssMiB = Math.round(rssMax / 2 ** 20);
      process.stdout.write(
        `gps-connections: ${String(LINKS)} links, ${String(last.acked)} reports acked over ${seconds.toFixed(0)} s; ` +
          `gateway RSS max ${String(rssMiB)} MiB (${String(Math.round(rssBefore / 2 ** 20))} MiB before), ` +
          `heap max ${String(Math.round(heapMax / 2 ** 20))} MiB, CPU ${cpuPct.toFixed(1)} % of one core\n`,
      );
      return {
        metric: `gateway RSS holding ${String(LINKS)} JT/T 808 links at 1 report/${String(EVERY_S)} s (CPU ${cpuPct.toFixed(1)} % of one core)`,
        value: rssMiB,
        unit: 'MiB',
        baseline: null,
        target: 'report memory and CPU',
      };
    } finally {
      await h.close();
      await pool.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
      await pool.end();
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

import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, migrate, type Pool } from '../../core/index.js';
import { createTestRedis, type TestRedis } from '../../core/testing/services.js';
import { queuedPoints, seedFleet, startHarness, type Harness } from './harness.js';
import { TerminalClient } from './simulator/client.js';
import { toLocation } from './simulator/tracks.js';

/**
 * PostgreSQL stops in the middle of a stream and comes back: every point the gateway
 * acknowledged must end up in gps_points and on the queue, in order. This runs its own
 * throwaway cluster (initdb under a temp dir, as user postgres) so stopping it disturbs no one.
 */
const BIN = '/usr/lib/postgresql/15/bin';
const asPostgres = (cmd: string, args: string[]): string =>
  execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, cmd), ...args], {
    encoding: 'utf8',
    stdio: 'pipe',
  });

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => {
        resolve(port);
      });
    });
  });
}

class ThrowawayCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'mw-pg-'));
  readonly data = join(this.dir, 'data');
  constructor(readonly port: number) {
    chownSync(
      this.dir,
      Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
      Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
    );
    asPostgres('initdb', ['-D', this.data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  }
  get url(): string {
    return `postgres://postgres@127.0.0.1:${String(this.port)}/postgres`;
  }
  start(): void {
    const opts = `-p ${String(this.port)} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    asPostgres('pg_ctl', ['-D', this.data, '-o', opts, '-l', join(this.dir, 'log'), '-w', 'start']);
  }
  stop(): void {
    asPostgres('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop']);
  }
  remove(): void {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('PostgreSQL restarted mid-stream', () => {
  let cluster: ThrowawayCluster;
  let pool: Pool;
  let r: TestRedis;
  let h: Harness;

  beforeAll(async () => {
    cluster = new ThrowawayCluster(await freePort());
    cluster.start();
    pool = createPool({ url: cluster.url, schema: 'mw', poolSize: 4, migrateOnStart: true });
    await migrate(pool, 'mw');
    await seedFleet(pool, [{ plate: '粤B55555', terminalId: '13955555555' }]);
    r = createTestRedis();
    h = await startHarness({ pool, redis: r.redis, queues: r.ctx, settings: { retryMs: 100, flushMs: 5 } });
  }, 120_000);
  afterAll(async () => {
    await h.close();
    await pool.end();
    await r.cleanup();
    cluster.remove();
  });

  it('loses no acknowledged point and keeps them in order on the queue', async () => {
    const c = new TerminalClient(
      { terminalId: '13955555555', plate: '粤B55555' },
      '127.0.0.1',
      h.port,
      10_000,
    );
    await c.connect();
    expect((await c.login()).authenticated).toBe(true);
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    let acked = 0;
    let i = 0;
    const send = async (n: number): Promise<void> => {
      for (let k = 0; k < n; k++, i++) {
        const a = await c.location(
          toLocation({ t: t0 + i * 1000, lon: 114.05 + i * 1e-5, lat: 22.54, speed: 30, loadState: 'full' }),
        );
        if (a.result === 0) acked++;
      }
    };
    await send(50);
    cluster.stop();
    await send(100); // PostgreSQL is down: these go to the spool and are still acknowledged
    expect(h.intake.writer.spooledPoints).toBeGreaterThan(0);
    expect(h.intake.writer.stats.spooledBatches).toBeGreaterThan(0);
    cluster.start();
    await send(50);
    for (let wait = 0; h.intake.writer.spooledPoints > 0 && wait < 200; wait++)
      await new Promise((res) => setTimeout(res, 100));
    await h.intake.publisher.idle();
    expect(acked).toBe(200);
    const stored = await pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM gps_points WHERE device_id = '13955555555'",
    );
    expect(Number(stored.rows[0]?.n)).toBe(acked);
    const times = (await queuedPoints(h.queue)).map((p) => Date.parse(p.fixTime));
    expect(times).toHaveLength(acked);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    await c.end();
  }, 120_000);
});

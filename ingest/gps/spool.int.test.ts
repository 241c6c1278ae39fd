import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TypedQueue, createPool, isMuckError } from '../../core/index.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../../core/testing/services.js';
import { TEST_INTAKE_SETTINGS, queuedPoints } from './harness.js';
import { GpsIntake } from './intake.js';
import type { GpsPoint } from './point.js';

/**
 * The spool's bounds and its life across a gateway restart: PostgreSQL unreachable (a pool on a
 * closed port), a spool of 5 points, then a new gateway on the real database replays it.
 */
describe('GPS spool', () => {
  let db: TestDatabase;
  let r: TestRedis;
  const spoolKey = (): string => `${r.ctx.prefix}:gps:spool:test`;
  const t0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
  const pt = (i: number): GpsPoint => ({
    deviceId: 'spool-1',
    fixTimeMs: t0 + i * 1000,
    receivedMs: Date.now(),
    lon: 114.05,
    lat: 22.54 + i * 1e-5,
    alarmBits: 0,
    statusBits: 2,
    source: 'http',
    valid: true,
    backlog: false,
    extra: {},
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
  });
  afterAll(async () => {
    await r.cleanup();
    await db.cleanup();
  });

  it('holds up to its bound, refuses beyond it (re-sendable), and is replayed by the next gateway', async () => {
    const dead = createPool({ ...db.config, url: 'postgres://postgres@127.0.0.1:1/none' });
    const queue = new TypedQueue('gps-points', r.ctx);
    const settings = { ...TEST_INTAKE_SETTINGS, spoolKey: spoolKey(), spoolMaxPoints: 5, retryMs: 60_000 };
    const down = new GpsIntake({ pool: dead, redis: r.redis, queue, prefix: r.ctx.prefix, settings });
    await down.start();
    expect((await down.submit([pt(0), pt(1), pt(2)])).accepted).toBe(3);
    expect(down.writer.spooledPoints).toBe(3);
    const refused = await down.submit([pt(3), pt(4), pt(5)]).catch((err: unknown) => err);
    expect(isMuckError(refused) && refused.code).toBe('MW_GPS_UNAVAILABLE');
    // Refused points were not stored anywhere: a re-send must not be called a duplicate.
    expect((await down.submit([pt(3), pt(4)])).accepted).toBe(2);
    expect(await r.redis.llen(spoolKey())).toBe(2);
    await dead.end();
    queue.queue.disconnect().catch(() => undefined);

    // The next gateway, with PostgreSQL back, replays the spool before anything new.
    const queue2 = new TypedQueue('gps-points', r.ctx);
    const up = new GpsIntake({
      pool: db.pool,
      redis: r.redis,
      queue: queue2,
      prefix: r.ctx.prefix,
      settings: { ...settings, spoolMaxPoints: 100, retryMs: 50 },
    });
    await up.start();
    await up.submit([pt(6)]);
    for (let i = 0; i < 100 && up.writer.spooledPoints > 0; i++)
      await new Promise((res) => setTimeout(res, 50));
    await up.close();
    const rows = await db.pool.query<{ t: string }>(
      "SELECT fix_time AS t FROM gps_points WHERE device_id = 'spool-1' ORDER BY fix_time",
    );
    expect(rows.rows).toHaveLength(6);
    expect((await queuedPoints(queue2)).map((p) => Date.parse(p.fixTime) - t0)).toEqual([
      0, 1000, 2000, 3000, 4000, 6000,
    ]);
    expect(await r.redis.llen(spoolKey())).toBe(0);
    await queue2.close();
  });
});

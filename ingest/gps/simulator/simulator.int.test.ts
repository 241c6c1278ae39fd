import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../../../core/testing/services.js';
import { seedFleet, startHarness, type Harness } from '../harness.js';
import { replayFleet, replayTrack } from './replay.js';
import { generateFleet, type ScenarioTrack } from './tracks.js';

/** The truck simulator against the real gateway: what it was told was stored, is stored. */
describe('truck simulator', () => {
  let db: TestDatabase;
  let r: TestRedis;
  let h: Harness;
  const start = Math.floor(Date.now() / 1000) * 1000 - 2 * 3_600_000;
  const fleet = generateFleet({
    trucks: 8,
    pointsPerTruck: 60,
    startMs: start,
    seed: 7,
    firstTerminalId: 13800000000,
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
    await seedFleet(
      db.pool,
      [...fleet, { terminalId: '13811111111', plate: '粤B11111', points: [] }].map((t) => ({
        plate: t.plate,
        terminalId: t.terminalId,
      })),
    );
    h = await startHarness({ pool: db.pool, redis: r.redis, queues: r.ctx });
  });
  afterAll(async () => {
    await h.close();
    await r.cleanup();
    await db.cleanup();
  });

  it('replays a fleet with blind areas, reconnects, bad packets and load changes; every acked point is stored', async () => {
    const stats = await replayFleet(fleet, {
      host: '127.0.0.1',
      port: h.port,
      speedup: 0,
      blindAreas: [{ from: 20, to: 35 }],
      reconnectAt: [40],
      badPacketEvery: 9,
    });
    expect(stats).toMatchObject({
      sent: 480,
      acked: 480,
      failed: 0,
      backlog: 8 * 15,
      reconnects: 8,
      loginFailures: 0,
    });
    expect(stats.badPackets).toBeGreaterThan(0);
    await h.intake.publisher.idle();
    const rows = await db.pool.query<{ load_state: string; n: string }>(
      'SELECT load_state, count(*) AS n FROM gps_points GROUP BY load_state ORDER BY load_state',
    );
    expect(rows.rows.map((x) => [x.load_state, Number(x.n)])).toEqual([
      ['empty', 8 * 40],
      ['full', 8 * 20],
    ]);
    expect(h.gateway.stats.badChecksum).toBe(stats.badPackets);
    expect(await db.pool.query('SELECT 1 FROM gps_quarantine')).toMatchObject({ rowCount: 0 });
  });

  it('replays a scenario track in (accelerated) real time with ISO times shifted to now', async () => {
    const track: ScenarioTrack = {
      terminalId: '13811111111',
      plate: '粤B11111',
      version: '2019',
      points: [0, 1, 2, 3].map((k) => ({
        t: new Date(Date.UTC(2025, 0, 1, 8, 0, k * 2)).toISOString(),
        lon: 114.1 + k * 1e-4,
        lat: 22.6,
        speed: 20,
        heading: 90,
        loadState: k < 2 ? 'full' : 'half',
      })),
    };
    const t = Date.now();
    const stats = await replayTrack(track, {
      host: '127.0.0.1',
      port: h.port,
      speedup: 20,
      startAtMs: start,
    });
    expect(Date.now() - t).toBeGreaterThanOrEqual(250); // 6 s of track at 20×
    expect(stats).toMatchObject({ sent: 4, acked: 4 });
    const rows = await db.pool.query<{ load_state: string }>(
      "SELECT load_state FROM gps_points WHERE device_id = '13811111111' ORDER BY fix_time",
    );
    expect(rows.rows.map((x) => x.load_state)).toEqual(['full', 'full', 'half', 'half']);
  });
});

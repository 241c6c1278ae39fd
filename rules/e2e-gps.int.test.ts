import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  createTestRedis,
  testConfig,
  type TestDatabase,
  type TestRedis,
} from '../core/testing/services.js';
import {
  replayFleet,
  seedFleet,
  startGpsHarness,
  type GpsHarness,
  type ScenarioTrack,
} from '../ingest/index.js';
import { canonicalIncident } from './incidents.js';
import { loadIncidents } from './pg/incident-repo.js';
import { loadWorld } from './pg/world-load.js';
import { saveZones } from './pg/world-repo.js';
import { DEFAULT_PARAMS } from './params.js';
import { replayPeriod } from './replay.js';
import { drive, park, track, type TrackBuilder } from './scenario.js';
import { P, TEST_ZONES } from './test-world.js';
import { startTestRulesWorker } from './test-worker.js';

/**
 * End to end: truck tracks driven by the GPS simulator as real JT/T 808 terminals over TCP →
 * gateway → PostGIS + gps-points queue → rules worker → incidents; then a replay of what the
 * gateway stored gives the same incidents byte for byte.
 */
describe('GPS simulator → gateway → rules worker (end to end)', () => {
  let db: TestDatabase;
  let r: TestRedis;
  let gps: GpsHarness | undefined;
  let stopRules: (() => Promise<void>) | undefined;
  // Terminals and the gateway only accept recent fixes: the tracks are shifted to end about now.
  const start = Date.now() - 3 * 3600_000;

  const unpermitted = (): TrackBuilder => {
    const b = park(track(1, P.cs1, start), 300);
    drive(b, [120.12, 30.12], 40);
    park(b, 600, 8);
    drive(b, [120.15, 30.12], 40);
    return b;
  };
  const crossBorder = (): TrackBuilder => {
    const b = park(track(2, P.cs1, start), 300);
    drive(b, P.nextMid, 60);
    park(b, 600, 5);
    drive(b, P.homeMid, 60);
    return b;
  };
  const asScenario = (b: TrackBuilder, terminalId: string, plate: string): ScenarioTrack => ({
    terminalId,
    plate,
    points: b.fixes.map((f) => ({ t: f.t, lon: f.lon, lat: f.lat, speed: f.speedKmh ?? 0, heading: 90 })),
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
    await seedFleet(db.pool, [
      { plate: '浙A00001', terminalId: '13900000001', bind: true },
      { plate: '浙A00002', terminalId: '13900000002', bind: true },
    ]);
    await saveZones(
      db.pool,
      TEST_ZONES.map(({ id: _id, ...z }) => z),
    );
    gps = await startGpsHarness({ pool: db.pool, redis: r.redis, queues: r.ctx });
    stopRules = await startTestRulesWorker(testConfig(), db, r.ctx, 'rules-e2e');
  });

  afterAll(async () => {
    await stopRules?.();
    await gps?.close();
    await r.cleanup();
    await db.cleanup();
  });

  it('produces exactly the expected incidents, and the replay of the stored points matches', async () => {
    const t1 = unpermitted();
    const t2 = crossBorder();
    const port = gps?.port ?? 0;
    const sent = await replayFleet(
      [asScenario(t1, '13900000001', '浙A00001'), asScenario(t2, '13900000002', '浙A00002')],
      {
        host: '127.0.0.1',
        port,
        speedup: 0,
      },
    );
    expect(sent.acked).toBe(t1.fixes.length + t2.fixes.length);
    const deadline = Date.now() + 60_000;
    let types: string[] = [];
    while (Date.now() < deadline) {
      const { rows } = await db.pool.query<{ type: string; vehicle_id: string }>(
        'SELECT i.type, v.vehicle_id FROM incidents i JOIN incident_vehicles v ON v.incident_id = i.id ORDER BY i.type',
      );
      types = rows.map((x) => `${x.type}/v${x.vehicle_id}`);
      if (types.length >= 2) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    await new Promise((res) => setTimeout(res, 1000));
    expect(types).toEqual(['cross_border_dumping/v2', 'unpermitted_stop/v1']);

    const from = new Date(start - 60_000);
    const to = new Date(Date.now() + 60_000);
    const { world } = await loadWorld(db.pool, { ...DEFAULT_PARAMS });
    const replay = await replayPeriod(db.pool, world, { from, to });
    const stored = await loadIncidents(db.pool, from, to);
    expect(replay.points).toBe(t1.fixes.length + t2.fixes.length);
    expect(replay.incidents.map(canonicalIncident).join('\n')).toBe(stored.map(canonicalIncident).join('\n'));
  });
});

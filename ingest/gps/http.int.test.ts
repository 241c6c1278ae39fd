import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../../core/testing/services.js';
import { platformDeviceScope } from './device-scope.js';
import { queuedPoints, seedFleet, startHarness, type Harness } from './harness.js';
import { buildHttpIntake, vehicleLookup } from './http.js';
import { setPlatformScope } from './platform-scope.js';
import { addPlatform, platformAuthenticator } from './platforms.js';
import { latestKeys } from './publisher.js';
import { TypedQueue } from '../../core/index.js';

/** The HTTP batch endpoint against real PostGIS and Redis (Fastify inject: no port needed). */
describe('HTTP position intake', () => {
  let db: TestDatabase;
  let r: TestRedis;
  let h: Harness;
  let app: ReturnType<typeof buildHttpIntake>;
  let auth: { authorization: string };
  const base = Date.now() - 3_600_000;
  const iso = (dtS: number): string => new Date(Math.floor(base / 1000) * 1000 + dtS * 1000).toISOString();

  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
    await seedFleet(db.pool, [{ plate: '粤B77777' }]);
    h = await startHarness({ pool: db.pool, redis: r.redis, queues: r.ctx });
    auth = { authorization: `Bearer ${(await addPlatform(db.pool, 'city-platform')).token}` };
    // Reports every device, registered or not (scoped platforms: http-scope.int.test.ts).
    await setPlatformScope(db.pool, 'city-platform', { allDevices: true });
    app = buildHttpIntake({
      intake: h.intake,
      authenticate: platformAuthenticator(db.pool),
      scope: platformDeviceScope(db.pool),
      vehicleOf: vehicleLookup(db.pool),
      maxBatch: 10,
    });
  });
  afterAll(async () => {
    await app.close();
    await h.close();
    await r.cleanup();
    await db.cleanup();
  });

  const post = (body: unknown) =>
    app.inject({ method: 'POST', url: '/api/gps/positions', payload: body as object, headers: auth });

  it('refuses malformed batches with MW_VALIDATION and one line per problem', async () => {
    const res = await post({ positions: [{ deviceId: '', fixTime: 'yesterday', lon: 200, lat: 22 }] });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ code: string; details: string[] }>();
    expect(body.code).toBe('MW_VALIDATION');
    expect(body.details.length).toBeGreaterThan(0);
    expect((await post({ positions: [] })).statusCode).toBe(400);
    // A control character in a device id (PostgreSQL text cannot hold NUL) is refused up front.
    expect(
      (await post({ positions: [{ deviceId: 'a\u0000b', fixTime: iso(0), lon: 1, lat: 1 }] })).statusCode,
    ).toBe(400);
    expect(
      (await post({ positions: [{ deviceId: 'x', fixTime: iso(0), lon: 1, lat: 1, extra: 1 }] })).statusCode,
    ).toBe(400);
    const tooMany = Array.from({ length: 11 }, (_, i) => ({
      deviceId: 'x',
      fixTime: iso(i),
      lon: 114,
      lat: 22,
    }));
    expect((await post({ positions: tooMany })).json<{ code: string }>().code).toBe('MW_VALIDATION');
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/gps/positions',
          payload: '{nope',
          headers: { 'content-type': 'application/json', ...auth },
        })
      ).statusCode,
    ).toBe(400);
  });

  it('stores a batch once however often it is sent, resolving the vehicle by plate', async () => {
    const batch = {
      positions: [
        {
          deviceId: '粤B77777',
          fixTime: iso(0),
          lon: 114.05,
          lat: 22.54,
          speedKmh: 30,
          headingDeg: 180,
          loadState: 'full',
        },
        { deviceId: '粤B77777', fixTime: iso(10), lon: 114.051, lat: 22.54 },
        { deviceId: 'other-platform-1', fixTime: iso(0), lon: 113.9, lat: 22.5 },
      ],
    };
    const first = await post(batch);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ accepted: 3, rejected: [] });
    const again = await post(batch);
    expect(again.json<{ accepted: number }>().accepted).toBe(0);
    const rows = await db.pool.query<{
      device_id: string;
      vehicle_id: string | null;
      load_state: string | null;
      source: string;
    }>('SELECT device_id, vehicle_id, load_state, source FROM gps_points ORDER BY device_id, fix_time');
    expect(rows.rows).toHaveLength(3);
    expect(rows.rows.map((x) => [x.device_id, x.vehicle_id !== null, x.load_state, x.source])).toEqual([
      ['other-platform-1', false, null, 'http'],
      ['粤B77777', true, 'full', 'http'],
      ['粤B77777', true, null, 'http'],
    ]);
  });

  it('lists every refused point with its reason and quarantines it', async () => {
    const res = await post({
      positions: [
        { deviceId: 'q1', fixTime: iso(100), lon: 114.05, lat: 22.54 },
        { deviceId: 'q1', fixTime: iso(110), lon: 0, lat: 0 },
        { deviceId: 'q1', fixTime: iso(120), lon: 114.05, lat: 22.54, valid: false },
        { deviceId: 'q1', fixTime: new Date(Date.now() + 86_400_000).toISOString(), lon: 114.05, lat: 22.54 },
        { deviceId: 'q1', fixTime: iso(130), lon: 116.4, lat: 39.9 },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ accepted: number; rejected: { index: number; reason: string }[] }>();
    expect(body.accepted).toBe(1);
    expect(body.rejected.sort((a, b) => a.index - b.index)).toEqual([
      { index: 1, reason: 'zero_coordinates' },
      { index: 2, reason: 'invalid_fix' },
      { index: 3, reason: 'future' },
      { index: 4, reason: 'impossible_jump' },
    ]);
    const q = await db.pool.query<{ reason: string; point: { deviceId: string } }>(
      "SELECT reason, point FROM gps_quarantine WHERE device_id = 'q1' ORDER BY reason",
    );
    expect(q.rows.map((x) => x.reason)).toEqual([
      'future',
      'impossible_jump',
      'invalid_fix',
      'zero_coordinates',
    ]);
    expect(q.rows[0]?.point.deviceId).toBe('q1');
  });

  it('moves the live map at once but holds queue publishing for the reorder tolerance', async () => {
    const r2 = createTestRedis();
    const h2 = await startHarness({
      pool: db.pool,
      redis: r2.redis,
      queues: r2.ctx,
      settings: { reorderToleranceMs: 60_000 },
    });
    const app2 = buildHttpIntake({
      intake: h2.intake,
      authenticate: platformAuthenticator(db.pool),
      scope: platformDeviceScope(db.pool),
      maxBatch: 10,
    });
    try {
      const positions = [20, 0, 10].map((dt) => ({
        deviceId: 'live-1',
        fixTime: iso(1000 + dt),
        lon: 114.05,
        lat: 22.54 + dt * 1e-5,
      }));
      const res = await app2.inject({
        method: 'POST',
        url: '/api/gps/positions',
        payload: { positions },
        headers: auth,
      });
      expect(res.json()).toEqual({ accepted: 3, rejected: [] });
      await h2.intake.publisher.idle();
      const shown = JSON.parse(
        (await r2.redis.hget(latestKeys(r2.ctx.prefix).positions, 'live-1')) ?? '{}',
      ) as { lat: number };
      expect(shown.lat).toBeCloseTo(22.5402, 6);
      expect(await h2.queue.queue.getWaitingCount()).toBe(0);
      expect(h2.intake.publisher.held).toBe(3);
      await app2.close();
      await h2.close(); // drains the reorder buffer, in fix-time order
      const check = new TypedQueue('gps-points', r2.ctx);
      expect((await queuedPoints(check)).map((p) => p.fixTime)).toEqual([iso(1000), iso(1010), iso(1020)]);
      await check.close();
    } finally {
      await r2.cleanup();
    }
  });
});

import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../../core/testing/services.js';
import { queuedPoints, seedFleet, startHarness, type Harness } from './harness.js';
import {
  MSG,
  REGISTER_RESULT,
  RESULT,
  decodeFrame,
  decodeGeneralResponse,
  encodeFrame,
  encodeLocation,
  type LocationInput,
} from './jt808/index.js';
import { latestKeys } from './publisher.js';
import { TerminalClient } from './simulator/client.js';
import { badFrame } from './simulator/replay.js';
import { prng } from './simulator/tracks.js';

/** Whole JT/T 808 conversations over real TCP against real PostGIS and Redis. */
describe('JT/T 808 gateway', () => {
  let db: TestDatabase;
  let r: TestRedis;
  let h: Harness;
  const NOW = Date.now();
  const loc = (dtS: number, more: Partial<LocationInput> = {}): LocationInput => ({
    status: 0x303, // ACC, fix, full
    lat: 22.543096,
    lon: 114.057865,
    speedKmh: 36,
    headingDeg: 90,
    timeMs: Math.floor(NOW / 1000) * 1000 - 600_000 + dtS * 1000,
    mileageKm: 12.5,
    signal: 20,
    satellites: 9,
    ...more,
  });
  const client = async (
    terminalId: string,
    plate: string,
    version: '2013' | '2019' = '2013',
  ): Promise<TerminalClient> => {
    const c = new TerminalClient({ terminalId, plate, version }, '127.0.0.1', h.port, 5000);
    await c.connect();
    return c;
  };
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await db.pool.query<{ n: string }>(sql, params)).rows[0]?.n);

  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
    await seedFleet(db.pool, [
      { plate: '粤B00001', terminalId: '13900000001' },
      { plate: '粤B00002', terminalId: '13900000002', bind: true },
      { terminalId: '13900000003' },
      { plate: '粤B00019', terminalId: '13900000019' },
    ]);
    h = await startHarness({ pool: db.pool, redis: r.redis, queues: r.ctx, heartbeatTimeoutMs: 1500 });
  });
  afterAll(async () => {
    await h.close();
    await r.cleanup();
    await db.cleanup();
  });

  it('refuses unknown terminals and vehicles with the right 0x8100 results', async () => {
    const unknown = await client('13999999999', '粤B00001');
    expect((await unknown.login()).registered).toBe(REGISTER_RESULT.NO_SUCH_TERMINAL);
    const noVehicle = await client('13900000003', '粤B99999');
    expect((await noVehicle.login()).registered).toBe(REGISTER_RESULT.NO_SUCH_VEHICLE);
    // 粤B00002 is bound to terminal …02: a different terminal cannot take it.
    const other = await client('13900000003', '粤B00002');
    expect((await other.login()).registered).toBe(REGISTER_RESULT.VEHICLE_ALREADY_REGISTERED);
    await other.end();
    // Terminal …02 is bound to 粤B00002: it cannot register another vehicle.
    const bound = await client('13900000002', '粤B00019');
    expect((await bound.login()).registered).toBe(REGISTER_RESULT.TERMINAL_ALREADY_REGISTERED);
    await bound.end();
    await unknown.end();
    await noVehicle.end();
  });

  it('registers, checks the auth code, refuses everything before auth, stores and acknowledges', async () => {
    const c = await client('13900000001', '粤B00001');
    // Before auth: a location is answered "failure" and not stored.
    expect((await c.location(loc(0))).result).toBe(RESULT.FAILURE);
    expect((await c.heartbeat()).result).toBe(RESULT.FAILURE);
    const reg = await c.request(MSG.REGISTER, Buffer.alloc(0)); // malformed register body
    expect(reg.result).toBe(RESULT.MESSAGE_ERROR);
    const good = await c.login();
    expect(good).toEqual({ registered: 0, authenticated: true });
    const stored = await db.pool.query<{ auth_code: string; vehicle_id: string }>(
      "SELECT auth_code, vehicle_id FROM terminals WHERE terminal_id = '013900000001'",
    );
    expect(stored.rows[0]?.auth_code).toBe(c.authCode);
    // A wrong code is refused.
    const saved = c.authCode;
    c.authCode = 'wrong';
    expect((await c.login()).authenticated).toBe(false);
    c.authCode = saved;
    expect((await c.login()).authenticated).toBe(true);

    expect((await c.heartbeat()).result).toBe(RESULT.OK);
    expect(await c.location(loc(0))).toEqual({ msgId: MSG.LOCATION, result: RESULT.OK });
    expect((await c.location(loc(10, { lat: 22.5441 }))).result).toBe(RESULT.OK);
    await h.intake.publisher.idle();
    const rows = await db.pool.query(
      `SELECT device_id, vehicle_id::int AS vehicle_id, load_state, speed_kmh, heading_deg, altitude_m, status_bits::int AS status_bits,
              ST_X(geom) AS lon, ST_Y(geom) AS lat, extra, source
         FROM gps_points ORDER BY fix_time`,
    );
    expect(rows.rows).toHaveLength(2);
    expect(rows.rows[0]).toMatchObject({
      device_id: '13900000001',
      vehicle_id: Number(stored.rows[0]?.vehicle_id),
      load_state: 'full',
      speed_kmh: 36,
      heading_deg: 90,
      status_bits: 0x303,
      lon: 114.057865,
      lat: 22.543096,
      source: 'jt808',
      extra: { acc: true, mileageKm: 12.5, signal: 20, satellites: 9 },
    });
    // The rules queue got both, in order; the live map has the newest.
    expect((await queuedPoints(h.queue)).map((p) => p.lat)).toEqual([22.543096, 22.5441]);
    const latest = await r.redis.hget(latestKeys(r.ctx.prefix).positions, '13900000001');
    const shown = JSON.parse(latest ?? '{}') as { lat: number; loadState: string; vehicleId: number };
    expect([shown.lat, shown.loadState, shown.vehicleId]).toEqual([
      22.5441,
      'full',
      Number(stored.rows[0]?.vehicle_id),
    ]);
    expect((await c.logout()).result).toBe(RESULT.OK);
    await c.end();
  });

  it('answers a bad check code with result 2 (when the header is readable) and counts it', async () => {
    const before = h.gateway.stats.badChecksum;
    const c = await client('13900000001', '粤B00001');
    await c.login();
    const frame = c.frame(MSG.LOCATION, encodeLocation(loc(20)));
    const answer = new Promise<Buffer>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: h.port }, () => s.write(badFrame(frame.bytes)));
      s.once('data', (d: Buffer) => {
        resolve(d);
        s.destroy();
      });
    });
    const bytes = await answer;
    const decoded = decodeFrame(bytes.subarray(1, bytes.length - 1));
    expect(decoded.ok && decoded.frame.header.msgId).toBe(MSG.PLATFORM_RESPONSE);
    expect(decoded.ok && decodeGeneralResponse(decoded.frame.body)).toEqual({
      ok: true,
      value: { replySerial: frame.serial, replyId: MSG.LOCATION, result: RESULT.MESSAGE_ERROR },
    });
    expect(h.gateway.stats.badChecksum).toBe(before + 1);
    // The link that sent garbage in between still works.
    c.sendRaw(Buffer.from('garbage without flags'));
    c.sendRaw(badFrame(c.frame(MSG.HEARTBEAT, Buffer.alloc(0)).bytes));
    expect((await c.heartbeat()).result).toBe(RESULT.OK);
    await c.end();
  });

  it('takes blind-area backlog (0x0704) idempotently and quarantines refused points', async () => {
    const c = await client('13900000019', '粤B00019', '2019');
    expect(await c.login()).toEqual({ registered: 0, authenticated: true });
    const items = [loc(-300), loc(-290, { lat: 22.5432 }), loc(-280, { status: 0x101 })]; // last: no fix
    expect((await c.batch(1, items)).result).toBe(RESULT.OK);
    expect((await c.batch(1, items)).result).toBe(RESULT.OK); // re-sent after a lost answer
    await h.intake.publisher.idle();
    expect(await count("SELECT count(*) AS n FROM gps_points WHERE device_id = '13900000019'")).toBe(2);
    const q = await db.pool.query<{ reason: string }>(
      "SELECT reason FROM gps_quarantine WHERE device_id = '13900000019' ORDER BY id",
    );
    expect(q.rows.map((x) => x.reason).sort()).toEqual([
      'duplicate',
      'duplicate',
      'invalid_fix',
      'invalid_fix',
    ]);
    await c.end();
  });

  it('reassembles a subpackaged 2019 location report sent over TCP', async () => {
    const c = await client('13900000019', '粤B00019', '2019');
    expect((await c.login()).authenticated).toBe(true);
    const body = encodeLocation(loc(-100, { lat: 22.55 }));
    const send = (index: number, part: Buffer): Promise<number> => {
      const serial = 0x500 + index;
      const wire = encodeFrame(
        {
          msgId: MSG.LOCATION,
          version: '2019',
          protocolVersion: 1,
          terminalPhone: '13900000019',
          serial,
          packet: { total: 2, index },
        },
        part,
      );
      return c.request(MSG.LOCATION, Buffer.alloc(0), wire).then((a) => a.result);
    };
    expect(await send(1, body.subarray(0, 20))).toBe(RESULT.OK);
    expect(await send(2, body.subarray(20))).toBe(RESULT.OK);
    await h.intake.publisher.idle();
    expect(
      await count(
        "SELECT count(*) AS n FROM gps_points WHERE device_id = '13900000019' AND ST_Y(geom) = 22.55",
      ),
    ).toBe(1);
    await c.end();
  });

  it('asks with 0x8003 for a subpackage that never came, and completes the message from the re-send', async () => {
    const c = await client('13900000019', '粤B00019', '2019');
    expect((await c.login()).authenticated).toBe(true);
    const body = encodeLocation(loc(-90, { lat: 22.5501 }));
    const parts = [body.subarray(0, 20), body.subarray(20)];
    const send = (index: number): Promise<number> => {
      const wire = encodeFrame(
        {
          msgId: MSG.LOCATION,
          version: '2019',
          protocolVersion: 1,
          terminalPhone: '13900000019',
          serial: 0x600 + index - 1,
          packet: { total: 2, index },
        },
        parts[index - 1] as Buffer,
      );
      return c.request(MSG.LOCATION, Buffer.alloc(0), wire).then((a) => a.result);
    };
    const before = h.gateway.stats.resendRequests;
    expect(await send(2)).toBe(RESULT.OK); // packet 1 was lost on the way
    for (let i = 0; i < 40 && c.resendRequests.length === 0; i++)
      await new Promise((res) => setTimeout(res, 50));
    expect(c.resendRequests).toEqual([{ firstSerial: 0x600, packetIds: [1] }]);
    expect(h.gateway.stats.resendRequests).toBe(before + 1);
    expect(await send(1)).toBe(RESULT.OK);
    await h.intake.publisher.idle();
    expect(
      await count(
        "SELECT count(*) AS n FROM gps_points WHERE device_id = '13900000019' AND ST_Y(geom) = 22.5501",
      ),
    ).toBe(1);
    await c.end();
  });

  it('keeps serving after a storm of garbage and mutated frames on one link', async () => {
    const before = { ...h.gateway.stats };
    const storm = connect({ host: '127.0.0.1', port: h.port });
    await new Promise((res) => storm.once('connect', res));
    storm.on('error', () => undefined);
    const random = prng(5);
    const rnd = (n: number): number => Math.floor(random() * n);
    for (let i = 0; i < 3000; i++) {
      const good = encodeFrame(
        { msgId: MSG.LOCATION, version: '2013', terminalPhone: '13900000001', serial: i },
        encodeLocation(loc(i)),
      );
      const bytes = Buffer.from(good);
      for (let k = 0; k < 3; k++) bytes[rnd(bytes.length)] = rnd(256);
      storm.write(rnd(4) === 0 ? Buffer.from(Array.from({ length: rnd(80) }, () => rnd(256))) : bytes);
    }
    await new Promise((res) => setTimeout(res, 300));
    storm.destroy();
    expect(h.gateway.stats.frames).toBeGreaterThan(before.frames + 1000);
    expect(h.gateway.stats.badChecksum + h.gateway.stats.badFrames).toBeGreaterThan(
      before.badChecksum + before.badFrames,
    );
    const c = await client('13900000001', '粤B00001');
    expect((await c.login()).authenticated).toBe(true);
    expect((await c.heartbeat()).result).toBe(RESULT.OK);
    await c.end();
  });

  it('closes a link that stays silent past the heartbeat timeout', async () => {
    const before = h.gateway.stats.idleClosed;
    const c = await client('13900000001', '粤B00001');
    await new Promise((res) => setTimeout(res, 2500));
    expect(c.connected).toBe(false);
    expect(h.gateway.stats.idleClosed).toBeGreaterThan(before);
  });
});

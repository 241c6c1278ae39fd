import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, loadMigrations, migrate, readAudit, type Pool } from '../../core/index.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../../core/testing/services.js';
import { platformDeviceScope } from './device-scope.js';
import { startHarness, type Harness } from './harness.js';
import { buildHttpIntake, vehicleLookup } from './http.js';
import { getPlatformScope, setPlatformScope } from './platform-scope.js';
import { addPlatform, listPlatforms, platformAuthenticator } from './platforms.js';

interface Answer {
  accepted: number;
  rejected: { index: number; reason: string; code?: string; message?: string }[];
}

async function company(pool: Pool, name: string): Promise<number> {
  const { rows } = await pool.query<{ id: string }>('INSERT INTO companies (name) VALUES ($1) RETURNING id', [
    name,
  ]);
  return Number(rows[0]?.id);
}

async function vehicle(
  pool: Pool,
  plate: string,
  companyId: number | null,
  terminalId?: string,
): Promise<void> {
  const { rows } = await pool.query<{ id: string }>(
    'INSERT INTO vehicles (plate, company_id) VALUES ($1, $2) RETURNING id',
    [plate, companyId],
  );
  if (terminalId)
    await pool.query('INSERT INTO terminals (terminal_id, vehicle_id) VALUES ($1, $2)', [
      terminalId.padStart(12, '0'),
      rows[0]?.id,
    ]);
}

/** The answer's entry for a position refused as outside the platform's scope. */
const refusal = (index: number, message: RegExp): Record<string, unknown> => ({
  index,
  reason: 'device_not_allowed',
  code: 'MW_GPS_DEVICE_NOT_ALLOWED',
  message: expect.stringMatching(message) as unknown,
});

/** Each HTTP platform reports only the devices of its scope: its companies' registered vehicles, or every device. */
describe('HTTP intake: which devices a platform may report', () => {
  let db: TestDatabase;
  let r: TestRedis;
  let h: Harness;
  let app: ReturnType<typeof buildHttpIntake>;
  let clock = Date.now();
  let greenId = 0;
  const tokens: Record<string, string> = {};
  // Every post moves fix times on, so no point is a duplicate or out of order for its device.
  let tick = 0;
  const fix = (): string =>
    new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000 + ++tick * 1000).toISOString();

  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
    greenId = await company(db.pool, 'Green Haulage');
    const other = await company(db.pool, 'Other Transport');
    await vehicle(db.pool, '粤B10001', greenId);
    await vehicle(db.pool, '粤B10002', greenId, '13900000077');
    await vehicle(db.pool, '粤B20001', other);
    await vehicle(db.pool, '粤B30001', null);
    await vehicle(db.pool, '粤B10009', greenId);
    await db.pool.query("UPDATE vehicles SET active = false WHERE plate = '粤B10009'");
    h = await startHarness({ pool: db.pool, redis: r.redis, queues: r.ctx });
    for (const name of ['green-fleet', 'city-wide', 'later'])
      tokens[name] = (await addPlatform(db.pool, name, 'admin')).token;
    await setPlatformScope(db.pool, 'green-fleet', { companies: ['Green Haulage'] }, 'admin');
    await setPlatformScope(db.pool, 'city-wide', { allDevices: true }, 'admin');
    // A 30 s scope cache on a clock the test moves: a change shows only once it has expired.
    app = buildHttpIntake({
      intake: h.intake,
      authenticate: platformAuthenticator(db.pool),
      scope: platformDeviceScope(db.pool, 30_000, () => clock),
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

  const post = async (platform: string, deviceIds: string[]): Promise<Answer> => {
    const t = fix();
    const res = await app.inject({
      method: 'POST',
      url: '/api/gps/positions',
      payload: {
        positions: deviceIds.map((deviceId) => ({ deviceId, fixTime: t, lon: 114.05, lat: 22.54 })),
      },
      headers: { authorization: `Bearer ${tokens[platform] ?? ''}` },
    });
    expect(res.statusCode).toBe(200);
    return res.json<Answer>();
  };
  const stored = async (platform: string): Promise<string[]> =>
    (
      await db.pool.query<{ device_id: string }>(
        "SELECT device_id FROM gps_points WHERE extra->>'platform' = $1 ORDER BY device_id",
        [platform],
      )
    ).rows.map((x) => x.device_id);

  it('a scoped platform: its company’s vehicle stored; another company’s and an unknown device refused, listed and quarantined', async () => {
    const body = await post('green-fleet', ['粤B10001', '粤B20001', 'stranger-9']);
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((x) => [x.index, x.reason, x.code])).toEqual([
      [1, 'device_not_allowed', 'MW_GPS_DEVICE_NOT_ALLOWED'],
      [2, 'device_not_allowed', 'MW_GPS_DEVICE_NOT_ALLOWED'],
    ]);
    expect(body.rejected[0]?.message).toMatch(/"green-fleet".*"粤B20001".*"Other Transport"/);
    expect(body.rejected[1]?.message).toMatch(/"green-fleet".*"stranger-9".*fleet registry/);
    await h.intake.publisher.idle();
    expect(await stored('green-fleet')).toEqual(['粤B10001']);

    const q = await db.pool.query<{
      device_id: string;
      vehicle_id: string | null;
      reason: string;
      detail: string;
      source: string;
      point: { extra: { platform: string } };
    }>('SELECT device_id, vehicle_id, reason, detail, source, point FROM gps_quarantine ORDER BY device_id');
    expect(q.rows.map((x) => [x.device_id, x.reason, x.source, x.vehicle_id !== null])).toEqual([
      ['stranger-9', 'device_not_allowed', 'http', false],
      ['粤B20001', 'device_not_allowed', 'http', true],
    ]);
    expect(
      q.rows.every((x) => x.point.extra.platform === 'green-fleet' && x.detail.includes('green-fleet')),
    ).toBe(true);
  });

  it('a scoped platform reports its vehicles by terminal id too, but not a vehicle without a company', async () => {
    const body = await post('green-fleet', ['13900000077', '粤B30001']);
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([refusal(1, /no transport company/)]);
  });

  it('a scoped platform may not report its company’s vehicle once the registry retires it', async () => {
    const body = await post('green-fleet', ['粤B10009', '粤B10001']);
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([refusal(0, /"粤B10009": its vehicle is marked inactive/)]);
  });

  it('an all-devices platform stores registered and unregistered devices as before', async () => {
    const body = await post('city-wide', ['粤B10001', '粤B20001', 'stranger-9']);
    expect(body).toEqual({ accepted: 3, rejected: [] });
    await h.intake.publisher.idle();
    expect(await stored('city-wide')).toEqual(['stranger-9', '粤B10001', '粤B20001']);
  });

  it('a new platform reports nothing until scoped; a scope change takes effect when the cache expires', async () => {
    expect((await post('later', ['粤B20001'])).accepted).toBe(0);
    await setPlatformScope(db.pool, 'later', { companies: ['Other Transport'] }, 'admin');
    // Still the cached scope…
    expect((await post('later', ['粤B20001'])).rejected).toHaveLength(1);
    clock += 30_000;
    expect(await post('later', ['粤B20001', '粤B10001'])).toMatchObject({
      accepted: 1,
      rejected: [{ index: 1, code: 'MW_GPS_DEVICE_NOT_ALLOWED' }],
    });
    // Widened to every device, then narrowed back by company id.
    await setPlatformScope(db.pool, 'later', { allDevices: true }, 'admin');
    clock += 30_000;
    expect((await post('later', ['粤B20001', '粤B10001', 'stranger-9'])).accepted).toBe(3);
    await setPlatformScope(db.pool, 'later', { companies: [greenId] }, 'admin');
    clock += 30_000;
    expect(await post('later', ['粤B20001', '粤B10001'])).toMatchObject({
      accepted: 1,
      rejected: [{ index: 0 }],
    });
  });

  it('when the scope cannot be read, the batch is refused whole (503) and nothing is written', async () => {
    const gone = createPool(db.config);
    await gone.end();
    const blind = buildHttpIntake({
      intake: h.intake,
      authenticate: platformAuthenticator(db.pool),
      scope: platformDeviceScope(gone),
      maxBatch: 10,
    });
    try {
      const res = await blind.inject({
        method: 'POST',
        url: '/api/gps/positions',
        payload: { positions: [{ deviceId: 'unseen-1', fixTime: fix(), lon: 114.05, lat: 22.54 }] },
        headers: { authorization: `Bearer ${tokens['city-wide'] ?? ''}` },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json<{ code: string; message: string }>()).toMatchObject({
        code: 'MW_GPS_UNAVAILABLE',
        message: expect.stringMatching(/send the batch again later/) as unknown,
      });
      await h.intake.publisher.idle();
      expect((await db.pool.query("SELECT 1 FROM gps_points WHERE device_id = 'unseen-1'")).rowCount).toBe(0);
    } finally {
      await blind.close();
    }
  });

  it('while PostgreSQL is away, the last known scope stands: known devices are accepted, unseen ones refused whole (503)', async () => {
    const flaky = createPool(db.config);
    let at = Date.now();
    const scope = platformDeviceScope(flaky, 30_000, () => at);
    const blinking = buildHttpIntake({
      intake: h.intake,
      authenticate: platformAuthenticator(db.pool),
      scope,
      maxBatch: 10,
    });
    const send = (deviceIds: string[]) =>
      blinking.inject({
        method: 'POST',
        url: '/api/gps/positions',
        payload: {
          positions: deviceIds.map((deviceId) => ({ deviceId, fixTime: fix(), lon: 114.05, lat: 22.54 })),
        },
        headers: { authorization: `Bearer ${tokens['green-fleet'] ?? ''}` },
      });
    const stored = async (): Promise<number> => {
      await h.intake.publisher.idle();
      const { rows } = await db.pool.query<{ n: string }>(
        "SELECT count(*) AS n FROM gps_points WHERE device_id = '粤B10001'",
      );
      return Number(rows[0]?.n);
    };
    const before = await stored();
    try {
      const first = await send(['粤B10001', '粤B20001']);
      expect(first.json<Answer>()).toMatchObject({
        accepted: 1,
        rejected: [{ index: 1, code: 'MW_GPS_DEVICE_NOT_ALLOWED' }],
      });
      await flaky.end();
      at += 60_000; // both cached answers have expired, and cannot be read again
      const known = await send(['粤B10001']);
      expect(known.statusCode).toBe(200);
      expect(known.json<Answer>()).toEqual({ accepted: 1, rejected: [] });
      const unseen = await send(['粤B10001', '13900000077']);
      expect(unseen.statusCode).toBe(503);
      // The two accepted points, and not the one in the refused batch.
      await expect.poll(stored, { timeout: 10_000 }).toBe(before + 2);
    } finally {
      await blinking.close();
    }
  });

  it('scopes are listed, refused together when a company is unknown, and every change is audited before → after', async () => {
    await expect(
      setPlatformScope(db.pool, 'green-fleet', { companies: ['Green Haulage', 'No Such Co'] }),
    ).rejects.toMatchObject({
      code: 'MW_NOT_FOUND',
      message: expect.stringMatching(/"No Such Co"/) as unknown,
    });
    await expect(setPlatformScope(db.pool, 'green-fleet', { companies: [] })).rejects.toMatchObject({
      code: 'MW_VALIDATION',
    });
    await expect(setPlatformScope(db.pool, 'nobody', { allDevices: true })).rejects.toMatchObject({
      code: 'MW_NOT_FOUND',
    });
    expect(await getPlatformScope(db.pool, 'green-fleet')).toEqual({
      allDevices: false,
      companies: [{ id: greenId, name: 'Green Haulage' }],
    });
    // A company given by its id in digits, as the CLI passes it.
    await setPlatformScope(
      db.pool,
      'city-wide',
      { companies: [String(greenId), 'Other Transport'] },
      'admin',
    );
    expect(
      (await listPlatforms(db.pool)).map((p) => [p.name, p.allDevices, p.companies.map((c) => c.name)]),
    ).toEqual([
      ['city-wide', false, ['Green Haulage', 'Other Transport']],
      ['green-fleet', false, ['Green Haulage']],
      ['later', false, ['Green Haulage']],
    ]);

    const changes = (await readAudit(db.pool, { targetType: 'gps_platform' })).filter(
      (a) => a.action === 'gps_platform.scope_changed',
    );
    const none = { allDevices: false, companies: [] };
    const green = { allDevices: false, companies: [{ id: greenId, name: 'Green Haulage' }] };
    expect(changes.map((a) => [a.actor, a.details])).toEqual([
      ['admin', { name: 'green-fleet', before: none, after: green }],
      ['admin', { name: 'city-wide', before: none, after: { allDevices: true, companies: [] } }],
      [
        'admin',
        { name: 'later', before: none, after: { allDevices: false, companies: [expect.anything()] } },
      ],
      [
        'admin',
        { name: 'later', before: expect.anything() as unknown, after: { allDevices: true, companies: [] } },
      ],
      ['admin', { name: 'later', before: { allDevices: true, companies: [] }, after: green }],
      [
        'admin',
        {
          name: 'city-wide',
          before: { allDevices: true, companies: [] },
          after: {
            allDevices: false,
            companies: [green.companies[0], expect.objectContaining({ name: 'Other Transport' })],
          },
        },
      ],
    ]);
  });
});

describe('migration 0010 on a database that already has platforms', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await db.cleanup();
  });

  it('keeps existing platforms reporting every device; new ones start scoped, and a platform’s scope goes with it', async () => {
    const all = loadMigrations();
    const scopeVersion = all.findIndex((m) => m.name === 'gps_platform_scope') + 1;
    expect(scopeVersion).toBe(10);
    await migrate(db.pool, db.schema, all.slice(0, scopeVersion - 1));
    await addPlatform(db.pool, 'before-scopes');
    await migrate(db.pool, db.schema, all);
    await addPlatform(db.pool, 'after-scopes');
    expect((await listPlatforms(db.pool)).map((p) => [p.name, p.allDevices])).toEqual([
      ['after-scopes', false],
      ['before-scopes', true],
    ]);

    const c = await company(db.pool, 'Cascade Co');
    await setPlatformScope(db.pool, 'after-scopes', { companies: [c] });
    await db.pool.query("DELETE FROM gps_platforms WHERE name = 'after-scopes'");
    expect((await db.pool.query('SELECT 1 FROM gps_platform_companies')).rowCount).toBe(0);
    // A company a platform reports for cannot vanish under it.
    await setPlatformScope(db.pool, 'before-scopes', { companies: ['Cascade Co'] });
    await expect(db.pool.query('DELETE FROM companies WHERE id = $1', [c])).rejects.toThrow(/foreign key/);
  });
});

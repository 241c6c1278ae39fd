import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAudit } from '../../core/index.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../../core/testing/services.js';
import { platformDeviceScope } from './device-scope.js';
import { queuedPoints, startHarness, type Harness } from './harness.js';
import { buildHttpIntake } from './http.js';
import { setPlatformScope } from './platform-scope.js';
import {
  addPlatform,
  listPlatforms,
  platformAuthenticator,
  reissuePlatformToken,
  setPlatformEnabled,
  tokenSha256,
} from './platforms.js';

/** Only platforms holding a valid API token may push positions; a refused batch writes nothing. */
describe('HTTP intake credentials', () => {
  let db: TestDatabase;
  let r: TestRedis;
  let h: Harness;
  let app: ReturnType<typeof buildHttpIntake>;
  let token = '';
  const fixTime = new Date(Math.floor(Date.now() / 1000) * 1000 - 600_000).toISOString();
  const batch = { positions: [{ deviceId: 'auth-1', fixTime, lon: 114.05, lat: 22.54 }] };

  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
    h = await startHarness({ pool: db.pool, redis: r.redis, queues: r.ctx });
    token = (await addPlatform(db.pool, 'partner-a', 'admin')).token;
    // Its devices are not in the registry: this test is about credentials, not scope.
    await setPlatformScope(db.pool, 'partner-a', { allDevices: true }, 'admin');
    // No cache: a re-issued or disabled token must stop at once in this test.
    app = buildHttpIntake({
      intake: h.intake,
      authenticate: platformAuthenticator(db.pool, 0),
      scope: platformDeviceScope(db.pool),
      maxBatch: 10,
    });
  });
  afterAll(async () => {
    await app.close();
    await h.close();
    await r.cleanup();
    await db.cleanup();
  });

  const post = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/api/gps/positions', payload: batch, headers });
  const stored = async (): Promise<number> =>
    Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM gps_points')).rows[0]?.n);

  it('refuses a batch without a token, with a wrong one, or with another scheme: 401, nothing written', async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { authorization: 'Bearer mwp_not-a-real-token' },
      { authorization: `Basic ${Buffer.from(`partner-a:${token}`).toString('base64')}` },
      { authorization: `Bearer ${token.slice(0, -1)}` },
    ]) {
      const res = await post(headers);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      const body = res.json<{ code: string; message: string }>();
      expect(body.code).toBe('MW_GPS_PLATFORM_AUTH');
      expect(body.message).toMatch(/Authorization: Bearer|not valid/);
    }
    // Credentials are checked before the body: a malformed body without them is still a 401.
    const junk = await app.inject({
      method: 'POST',
      url: '/api/gps/positions',
      payload: '{nope',
      headers: { 'content-type': 'application/json' },
    });
    expect(junk.statusCode).toBe(401);
    await h.intake.publisher.idle();
    expect(await stored()).toBe(0);
    expect(await db.pool.query('SELECT 1 FROM gps_quarantine')).toMatchObject({ rowCount: 0 });
    expect(await queuedPoints(h.queue)).toEqual([]);
  });

  it('accepts the platform’s token and records which platform sent each point', async () => {
    const res = await post({ authorization: `Bearer ${token}` });
    expect(res.json()).toEqual({ accepted: 1, rejected: [] });
    const row = await db.pool.query<{ extra: { platform: string } }>(
      "SELECT extra FROM gps_points WHERE device_id = 'auth-1'",
    );
    expect(row.rows.map((x) => x.extra.platform)).toEqual(['partner-a']);
  });

  it('stores only a hash of the token; re-issuing and disabling take effect and are audited', async () => {
    const { rows } = await db.pool.query<{ token_sha256: string }>('SELECT token_sha256 FROM gps_platforms');
    expect(rows).toEqual([{ token_sha256: tokenSha256(token) }]);
    expect(JSON.stringify(rows)).not.toContain(token);

    const fresh = await reissuePlatformToken(db.pool, 'partner-a', 'admin');
    expect((await post({ authorization: `Bearer ${token}` })).statusCode).toBe(401);
    expect((await post({ authorization: `Bearer ${fresh}` })).statusCode).toBe(200);
    await setPlatformEnabled(db.pool, 'partner-a', false, 'admin');
    expect((await post({ authorization: `Bearer ${fresh}` })).statusCode).toBe(401);
    expect(await listPlatforms(db.pool)).toMatchObject([{ name: 'partner-a', enabled: false }]);
    await expect(addPlatform(db.pool, 'partner-a')).rejects.toThrow(/exists already/);
    await expect(setPlatformEnabled(db.pool, 'nobody', true)).rejects.toMatchObject({ code: 'MW_NOT_FOUND' });

    const audit = await readAudit(db.pool, { targetType: 'gps_platform' });
    expect(audit.map((a) => a.action)).toEqual([
      'gps_platform.created',
      'gps_platform.scope_changed',
      'gps_platform.token_reissued',
      'gps_platform.disabled',
    ]);
    expect(JSON.stringify(audit)).not.toContain(fresh);
  });
});

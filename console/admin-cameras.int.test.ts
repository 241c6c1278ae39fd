import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, startPresence } from '../core/index.js';
import { PipelineNode } from '../ingest/index.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../core/testing/services.js';
import { clipBase, startCameraSimulator, type CameraSimulator } from '../fixtures/index.js';
import { buildApp, type ConsoleApp } from './app.js';
import { as, login, seed, type Login, type Seeded } from './test-seed.js';

/** Camera administration: create/edit with zones and footprint, credentials at rest, test, snapshot. */
describe('camera administration API', () => {
  let db: TestDatabase;
  let r: TestRedis;
  let app: ConsoleApp;
  let s: Seeded;
  let dir: string;
  let sim: CameraSimulator;
  let admin: Login;
  let operator: Login;

  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'mw-cam-admin-'));
    s = await seed(db.pool, dir);
    sim = await startCameraSimulator({
      streams: [
        {
          path: 'gate',
          clips: [`${clipBase('dumping-gate')}.mp4`],
          credentials: { user: 'cam', pass: 's3cret-pw' },
        },
      ],
    });
    app = buildApp({
      pool: db.pool,
      redis: r.redis,
      redisPrefix: r.ctx.prefix,
      dataDir: dir,
      web: false,
      secretsKey: 'ab'.repeat(32),
      cameraTimeoutS: 5,
    });
    admin = await login(app, 'admin');
    operator = await login(app, 'operator');
  });
  afterAll(async () => {
    await app.close();
    await sim.stop();
    await db.cleanup();
    await r.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (who: Login, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url, headers: as(who), ...(payload === undefined ? {} : { payload }) });

  let camId = 0;
  const gateUrl = (): string => sim.url('gate');
  const lastAudit = async (action: string): Promise<{ details: Record<string, unknown> } | undefined> =>
    (
      await db.pool.query<{ details: Record<string, unknown> }>(
        'SELECT details FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1',
        [action],
      )
    ).rows[0];

  it('creates a camera; a password in the URL goes to the encrypted store and never comes back', async () => {
    const withCreds = gateUrl().replace('rtsp://', 'rtsp://cam:s3cret-pw@');
    const res = await call(admin, 'POST', '/api/cameras', {
      code: 'GATE-9',
      name: '工地南门',
      rtspMainUrl: withCreds,
      position: [116.36, 39.96],
      headingDeg: 90,
      hfovDeg: 75,
      footprint: [
        [116.3601, 39.9601],
        [116.3611, 39.9601],
        [116.3611, 39.9608],
        [116.3601, 39.9608],
      ],
      loiteringS: 120,
      jurisdictionCode: 'D1',
    });
    expect(res.statusCode, res.body).toBe(200);
    camId = res.json<{ id: number }>().id;
    const got = await call(admin, 'GET', `/api/cameras/${String(camId)}/settings`);
    expect(got.json()).toMatchObject({
      code: 'GATE-9',
      rtspMainUrl: gateUrl(),
      hasCredentials: true,
      headingDeg: 90,
      hfovDeg: 75,
      loiteringS: 120,
      footprint: [
        [116.3601, 39.9601],
        [116.3611, 39.9601],
        [116.3611, 39.9608],
        [116.3601, 39.9608],
      ],
    });
    expect(got.body).not.toContain('s3cret-pw');
    const row = await db.pool.query<{ url: string; enc: Buffer }>(
      'SELECT rtsp_main_url AS url, credentials_enc AS enc FROM cameras WHERE id = $1',
      [camId],
    );
    expect(row.rows[0]?.url).not.toContain('s3cret');
    expect(row.rows[0]?.enc.toString('latin1')).not.toContain('s3cret-pw');
    const audit = await lastAudit('camera.create');
    expect(audit?.details).toMatchObject({ changes: { code: { before: null, after: 'GATE-9' } } });
    expect(JSON.stringify(audit)).not.toContain('s3cret-pw');
  });

  it('saves drawn image zones and records before → after; the row changes for the pipeline to pick up', async () => {
    const before = await db.pool.query<{ u: Date }>('SELECT updated_at u FROM cameras WHERE id = $1', [
      camId,
    ]);
    const zones = [
      {
        id: 'nv-1',
        kind: 'no_vending',
        polygon: [
          [10, 10],
          [200, 10],
          [200, 120],
          [10, 120],
        ],
      },
      {
        id: 'gate',
        kind: 'site_gate',
        polygon: [
          [300, 50],
          [600, 50],
          [600, 400],
        ],
      },
    ];
    const res = await call(admin, 'PATCH', `/api/cameras/${String(camId)}`, {
      imageZones: zones,
      loiteringS: 90,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ imageZones: zones, loiteringS: 90 });
    const after = await db.pool.query<{ u: Date; z: unknown }>(
      'SELECT updated_at u, image_zones z FROM cameras WHERE id = $1',
      [camId],
    );
    expect(after.rows[0]?.u.getTime()).toBeGreaterThan(before.rows[0]?.u.getTime() ?? 0);
    expect(after.rows[0]?.z).toEqual(zones);
    const entry = await lastAudit('camera.update');
    expect(entry?.details).toMatchObject({
      changes: { loiteringS: { before: 120, after: 90 }, imageZones: { before: [], after: zones } },
    });
  });

  it('refuses a crossing polygon, an unknown zone kind, a bad URL and unknown fields, changing nothing', async () => {
    const before = await call(admin, 'GET', `/api/cameras/${String(camId)}/settings`);
    const bow = await call(admin, 'PATCH', `/api/cameras/${String(camId)}`, {
      imageZones: [
        {
          id: 'x',
          kind: 'ignore',
          polygon: [
            [0, 0],
            [100, 100],
            [100, 0],
            [0, 100],
          ],
        },
      ],
    });
    expect(bow.statusCode).toBe(400);
    expect(bow.json<{ details: string[] }>().details.join()).toMatch(
      /image zone #0 \(x\): the polygon crosses itself/,
    );
    for (const body of [
      {
        imageZones: [
          {
            id: 'x',
            kind: 'parking',
            polygon: [
              [0, 0],
              [1, 0],
              [1, 1],
            ],
          },
        ],
      },
      { rtspMainUrl: 'http://example/x' },
      {
        footprint: [
          [500000, 4400000],
          [500100, 4400000],
          [500100, 4400100],
        ],
      },
      { headingDeg: 360 },
      { hfovDeg: 0 },
      { hfovDeg: 180 },
      { zzz: 1 },
      {},
    ]) {
      const res = await call(admin, 'PATCH', `/api/cameras/${String(camId)}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'MW_VALIDATION' });
    }
    const dup = await call(admin, 'POST', '/api/cameras', {
      code: 'CAM-1',
      name: 'x',
      rtspMainUrl: 'rtsp://h/x',
    });
    expect(dup.json<{ code: string; message: string }>().message).toMatch(/CAM-1 is taken/);
    expect((await call(admin, 'GET', `/api/cameras/${String(camId)}/settings`)).body).toBe(before.body);
  });

  it('tests the connection with the stored credentials; a wrong password is named as such', async () => {
    const ok = await call(admin, 'POST', `/api/cameras/${String(camId)}/test`, {});
    expect(ok.json()).toMatchObject({ ok: true, stream: 'main', codec: 'h264' });
    expect(ok.json<{ width: number }>().width).toBeGreaterThan(0);
    await call(admin, 'PATCH', `/api/cameras/${String(camId)}`, {
      credentials: { user: 'cam', pass: 'wrong' },
    });
    const bad = await call(admin, 'POST', `/api/cameras/${String(camId)}/test`, { stream: 'main' });
    expect(bad.json()).toMatchObject({ ok: false, failure: { kind: 'auth_refused' } });
    const noSub = await call(admin, 'POST', `/api/cameras/${String(camId)}/test`, { stream: 'sub' });
    expect(noSub.statusCode).toBe(400);
    const entry = await lastAudit('camera.update');
    expect(entry?.details).toMatchObject({ credentials: 'replaced' });
    await call(admin, 'PATCH', `/api/cameras/${String(camId)}`, {
      credentials: { user: 'cam', pass: 's3cret-pw' },
    });
  });

  it('serves a live JPEG snapshot; an unreachable camera with no recording is a coded 502', async () => {
    const snap = await call(admin, 'GET', `/api/cameras/${String(camId)}/snapshot`);
    expect(snap.statusCode).toBe(200);
    expect(snap.headers['content-type']).toBe('image/jpeg');
    expect(snap.headers['x-snapshot-source']).toBe('live');
    expect([...snap.rawPayload.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    const dead = await call(admin, 'GET', `/api/cameras/${String(s.cameraId)}/snapshot`);
    expect(dead.statusCode).toBe(502);
    expect(dead.json()).toMatchObject({ code: 'MW_CAMERA_UNREACHABLE' });
  });

  it('a pipeline node streams the camera with its encrypted credentials and applies edited zones without a restart', async () => {
    const config = loadConfig({
      env: {
        NODE_ID: 'admin-test-node',
        REDIS_PREFIX: r.ctx.prefix,
        DATA_DIR: mkdtempSync(join(dir, 'node-')),
        PIPELINE_TICK_S: '1',
        SECRETS_KEY: 'ab'.repeat(32),
      },
    });
    const presence = startPresence(
      r.redis,
      r.ctx.prefix,
      { process: 'pipeline', node: 'admin-test-node', pid: 1, startedAt: '' },
      1000,
    );
    const changed: number[] = [];
    const node = new PipelineNode({
      pool: db.pool,
      redis: r.redis,
      log: pino({ level: 'silent' }),
      config,
      secretKey: () => Buffer.from('ab'.repeat(32), 'hex'),
      onCameraChanged: (id) => changed.push(id),
    });
    const waitFor = async (what: string, ok: () => boolean): Promise<void> => {
      for (let i = 0; i < 300 && !ok(); i++) await new Promise((res) => setTimeout(res, 200));
      if (!ok()) throw new Error(`timed out waiting for ${what}`);
    };
    try {
      node.start();
      await waitFor('the camera to stream', () =>
        node.cameras().some((h) => h.cameraId === camId && h.state === 'streaming'),
      );
      const zones = [
        {
          id: 'ign',
          kind: 'ignore',
          polygon: [
            [0, 0],
            [50, 0],
            [50, 50],
          ],
        },
      ];
      await call(admin, 'PATCH', `/api/cameras/${String(camId)}`, { imageZones: zones });
      await waitFor(
        'the node to apply the zones',
        () => JSON.stringify(node.settingsOf(camId)?.zones) === JSON.stringify(zones),
      );
      expect(changed).toContain(camId);
      // The decrypted URL lives only inside the node; nothing it reports carries the password.
      expect(JSON.stringify(node.cameras())).not.toContain('s3cret-pw');
    } finally {
      await node.stop();
      await presence.stop();
    }
  });

  it('disables a camera; other roles may not change, test or look', async () => {
    const off = await call(admin, 'PATCH', `/api/cameras/${String(camId)}`, { enabled: false });
    expect(off.json()).toMatchObject({ enabled: false });
    for (const [m, u] of [
      ['PATCH', `/api/cameras/${String(camId)}`],
      ['POST', `/api/cameras/${String(camId)}/test`],
      ['GET', `/api/cameras/${String(camId)}/snapshot`],
      ['GET', `/api/cameras/${String(camId)}/settings`],
    ] as const) {
      const res = await call(operator, m, u, m === 'GET' ? undefined : { enabled: true });
      expect(res.statusCode).toBe(403);
    }
    const row = await db.pool.query<{ enabled: boolean }>('SELECT enabled FROM cameras WHERE id = $1', [
      camId,
    ]);
    expect(row.rows[0]?.enabled).toBe(false);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptCredentials, loadOrCreateSecretKey, readAudit } from '../core/index.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../core/testing/services.js';
import { frameCodeClip, startCameraSimulator, type CameraSimulator } from '../fixtures/index.js';
import { buildApp, type ConsoleApp } from './app.js';
import { login, seed, type Login, type Seeded } from './test-seed.js';

/** ffmpeg processes reading `url` (what the camera would count as connections from the console). */
function ffmpegsReading(url: string): number {
  let n = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.endsWith('ffmpeg') && argv.includes(url)) n++;
    } catch {
      /* the process ended while we looked */
    }
  }
  return n;
}

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Read a streamed body until it has `bytes`, then hang up (as a closing browser tab does). */
async function readSome(res: Response, bytes: number, ctrl: AbortController): Promise<Buffer> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const parts: Buffer[] = [];
  let have = 0;
  while (have < bytes) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(Buffer.from(value));
    have += value.length;
  }
  ctrl.abort();
  return Buffer.concat(parts);
}

function probe(file: string): { codec: string; width: number; frames: number } {
  const out = execFileSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,width,nb_read_frames',
      '-of',
      'json',
      file,
    ],
    { encoding: 'utf8' },
  );
  const s = (JSON.parse(out) as { streams: { codec_name: string; width: number; nb_read_frames: string }[] })
    .streams[0];
  return { codec: s?.codec_name ?? '', width: s?.width ?? 0, frames: Number(s?.nb_read_frames ?? 0) };
}

describe('camera live view', () => {
  let db: TestDatabase;
  let r: TestRedis;
  let app: ConsoleApp;
  let s: Seeded;
  let sim: CameraSimulator;
  let dir: string;
  let base: string;
  let camUrl: string;
  const who: Record<string, Login> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'mw-live-'));
    s = await seed(db.pool, dir);
    const clip = frameCodeClip({ seconds: 8, cacheDir: join(tmpdir(), 'mw-test-clips') });
    sim = await startCameraSimulator({
      streams: [
        { path: 'gate', clips: [clip] },
        { path: 'locked', clips: [clip], credentials: { user: 'viewer', pass: 's3cret-pass' } },
      ],
    });
    camUrl = sim.url('gate');
    await db.pool.query('UPDATE cameras SET rtsp_main_url = $2 WHERE id = $1', [s.cameraId, camUrl]);
    app = buildApp({ pool: db.pool, redis: r.redis, redisPrefix: r.ctx.prefix, dataDir: dir, web: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${String((app.server.address() as AddressInfo).port)}`;
    for (const u of ['operator', 'admin', 'auditor', 'enforcement', 'op-d2']) who[u] = await login(app, u);
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await sim.stop();
    await db.cleanup();
    await r.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (l: Login | null, query = '', id = s.cameraId) => {
    const ctrl = new AbortController();
    const res = fetch(`${base}/api/cameras/${String(id)}/live${query}`, {
      headers: l ? { cookie: l.cookie } : {},
      signal: ctrl.signal,
    });
    return { res, ctrl };
  };

  it('sends an authorized operator the camera H.264 as fragmented MP4 that decodes, and audits it', async () => {
    const v = open(who.operator ?? null);
    const res = await v.res;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^video\/mp4; codecs="avc1\.[0-9a-f]{6}"$/);
    const bytes = await readSome(res, 150_000, v.ctrl);
    expect(bytes.toString('latin1', 4, 8)).toBe('ftyp');
    const file = join(dir, 'live.mp4');
    writeFileSync(file, bytes);
    const p = probe(file);
    expect(p.codec).toBe('h264');
    expect(p.width).toBe(640);
    expect(p.frames).toBeGreaterThanOrEqual(10);
    const audit = await readAudit(db.pool, { targetType: 'camera', targetId: String(s.cameraId) });
    expect(audit.map((a) => [a.actor, a.action])).toContainEqual(['operator', 'camera.live_viewed']);
  });

  it('sends MPEG-1 in MPEG-TS for JSMpeg when asked', async () => {
    const v = open(who.admin ?? null, '?format=mpegts');
    const res = await v.res;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp2t');
    const bytes = await readSome(res, 120_000, v.ctrl);
    expect(bytes[0]).toBe(0x47); // MPEG-TS sync byte
    const file = join(dir, 'live.ts');
    writeFileSync(file, bytes);
    const p = probe(file);
    expect(p.codec).toBe('mpeg1video');
    expect(p.frames).toBeGreaterThanOrEqual(5);
  });

  it('shares one camera connection between two viewers and drops it when the last leaves', async () => {
    await until(
      'earlier feeds to stop',
      () => sim.stats('gate').sessions === 0 && ffmpegsReading(camUrl) === 0,
    );
    const a = open(who.operator ?? null);
    const resA = await a.res;
    const b = open(who.admin ?? null);
    const resB = await b.res;
    expect([resA.status, resB.status]).toEqual([200, 200]);
    const [bytesA, bytesB] = await Promise.all([
      readSome(resA, 60_000, new AbortController()),
      readSome(resB, 60_000, new AbortController()),
    ]);
    expect(bytesA.toString('latin1', 4, 8)).toBe('ftyp');
    expect(bytesB.toString('latin1', 4, 8)).toBe('ftyp');
    expect(ffmpegsReading(camUrl)).toBe(1);
    expect(sim.stats('gate').sessions).toBe(1);
    a.ctrl.abort();
    await new Promise((res) => setTimeout(res, 500));
    expect(ffmpegsReading(camUrl)).toBe(1); // the other viewer still watches
    b.ctrl.abort();
    await until('the feed to stop', () => ffmpegsReading(camUrl) === 0 && sim.stats('gate').sessions === 0);
  });

  it('refuses other districts, other roles and anonymous callers before touching the camera', async () => {
    await until('earlier feeds to stop', () => ffmpegsReading(camUrl) === 0);
    const cases: [Login | null, string, number, string][] = [
      [who['op-d2'] ?? null, '', 403, 'MW_FORBIDDEN'],
      [who.auditor ?? null, '', 403, 'MW_FORBIDDEN'],
      [who.enforcement ?? null, '', 403, 'MW_FORBIDDEN'],
      [null, '', 401, 'MW_AUTH_REQUIRED'],
      [who.operator ?? null, '?format=hls', 400, 'MW_VALIDATION'],
    ];
    for (const [l, q, status, code] of cases) {
      const res = await open(l, q).res;
      expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([status, code]);
    }
    const missing = await open(who.operator ?? null, '', 999_999).res;
    expect(missing.status).toBe(404);
    expect(ffmpegsReading(camUrl)).toBe(0);
    expect(sim.stats('gate').sessions).toBe(0);
  });

  it('logs in to a camera with its stored (encrypted) credentials, and never shows them', async () => {
    const key = loadOrCreateSecretKey('', dir); // the console's key: same data folder
    const setCredentials = (pass: string) =>
      db.pool.query('UPDATE cameras SET rtsp_main_url = $2, credentials_enc = $3 WHERE id = $1', [
        s.cameraId,
        sim.url('locked'),
        encryptCredentials(key, { user: 'viewer', pass }),
      ]);
    try {
      await setCredentials('s3cret-pass');
      const v = open(who.operator ?? null);
      const res = await v.res;
      expect(res.status).toBe(200);
      expect((await readSome(res, 20_000, v.ctrl)).toString('latin1', 4, 8)).toBe('ftyp');
      await until('the feed to stop', () => sim.stats('locked').sessions === 0);
      await setCredentials('wrong-pass');
      const refused = await open(who.operator ?? null).res;
      const body = (await refused.json()) as { code: string; message: string };
      expect([refused.status, body.code]).toEqual([502, 'MW_CAMERA_UNREACHABLE']);
      expect(body.message).toMatch(/401|Unauthorized/);
      expect(body.message).not.toContain('wrong-pass');
    } finally {
      await db.pool.query('UPDATE cameras SET rtsp_main_url = $2, credentials_enc = NULL WHERE id = $1', [
        s.cameraId,
        camUrl,
      ]);
    }
  });

  it('says why when the camera gives no picture', async () => {
    await db.pool.query('UPDATE cameras SET rtsp_main_url = $2 WHERE id = $1', [
      s.cameraId,
      `rtsp://127.0.0.1:${String(sim.port)}/no-such-path`,
    ]);
    try {
      const res = await open(who.operator ?? null).res;
      const body = (await res.json()) as { code: string; message: string };
      expect(res.status).toBe(502);
      expect(body.code).toBe('MW_CAMERA_UNREACHABLE');
      expect(body.message).toMatch(/CAM-1.*404|CAM-1.*Not Found/i);
    } finally {
      await db.pool.query('UPDATE cameras SET rtsp_main_url = $2 WHERE id = $1', [s.cameraId, camUrl]);
    }
  });
});

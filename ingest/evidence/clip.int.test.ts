import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidenceStore, exportIncident, readAudit, verifyChain } from '../../core/index.js';
import { recordTestSegments } from '../../fixtures/index.js';
import { createTestDatabase, type TestDatabase } from '../../core/testing/services.js';
import { RecordingIndex } from '../camera/index.js';
import { makeClipEvidence } from './clip-job.js';
import { probeVideo } from './clipper.js';
import { tsKeyframeTimes } from './ts-keyframes.js';

const FPS = 10;
const BASE = Date.parse('2026-11-27T08:00:00.000Z');

/** Source whose every frame is a flat grey equal to its frame number: a clip's frames tell their own time. */
function recordCounterSegments(
  dir: string,
): { path: string; startMs: number; endMs: number; bytes: number }[] {
  return recordTestSegments({
    dir,
    source: `color=black:size=160x120:rate=${String(FPS)},geq=lum='N+16':cb=128:cr=128`,
    seconds: 20,
    segmentSeconds: 2,
    gop: FPS,
    encoder: ['-qp', '0'],
  }).map((s) => ({
    path: s.path,
    startMs: BASE + Math.round(s.startS * 1000),
    endMs: BASE + Math.round(s.endS * 1000),
    bytes: s.bytes,
  }));
}

/** Grey level (= source frame number) of the first and last frame of a video. */
function frameNumbers(path: string): number[] {
  const raw = execFileSync('ffmpeg', [
    '-v',
    'error',
    '-i',
    path,
    '-vf',
    'scale=1:1',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    '-',
  ]);
  // lum = N + 16 in limited range → full-range grey N·255/219
  return [...raw].map((g) => Math.round((g * 219) / 255));
}

describe('evidence clips cut from the ring buffer', () => {
  let db: TestDatabase;
  let store: EvidenceStore;
  let index: RecordingIndex;
  let cameraId: number;
  let incidentId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EvidenceStore(db.pool, mkdtempSync(join(tmpdir(), 'mw-evidence-')));
    index = new RecordingIndex(db.pool);
    const cam = await db.pool.query<{ id: string }>(
      "INSERT INTO cameras (code, name, rtsp_main_url) VALUES ('gate-1', 'Gate 1', 'rtsp://x/1') RETURNING id",
    );
    cameraId = Number(cam.rows[0]?.id);
    const inc = await db.pool.query<{ id: string }>(
      `INSERT INTO incidents (type, dedupe_key, camera_id, started_at) VALUES ('dumping', 'k-1', $1, $2) RETURNING id`,
      [cameraId, new Date(BASE + 4000)],
    );
    incidentId = Number(inc.rows[0]?.id);
    for (const s of recordCounterSegments(mkdtempSync(join(tmpdir(), 'mw-seg-')))) {
      await index.addSegment({ cameraId, ...s }, 'node-a', 1);
    }
    await db.pool.query(
      `INSERT INTO detections (camera_id, frame_time, class, confidence, box_x, box_y, box_w, box_h, track_id)
       VALUES ($1, $2, 'debris_pile', 0.91, 40, 30, 50, 40, 7), ($1, $3, 'debris_pile', 0.80, 42, 31, 50, 40, 7)`,
      [cameraId, new Date(BASE + 5000), new Date(BASE + 6000)],
    );
  });
  afterAll(async () => {
    await db.cleanup();
  });

  it('finds the same keyframes in a segment as ffprobe does', async () => {
    const cover = await index.cover(cameraId, BASE, BASE + 20_000);
    for (const seg of cover.segments.slice(0, 3)) {
      const probe = execFileSync('ffprobe', [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'packet=pts_time,flags',
        '-of',
        'csv=p=0',
        seg.path,
      ]).toString();
      const rows = probe
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => l.split(','));
      const t0 = Math.min(...rows.map((r) => Number(r[0])));
      const expected = rows.filter((r) => r[1]?.includes('K')).map((r) => Number(r[0]) - t0);
      const got = tsKeyframeTimes(readFileSync(seg.path));
      expect(got.length).toBe(expected.length);
      got.forEach((t, i) => {
        expect(t).toBeCloseTo(expected[i] ?? NaN, 3);
      });
      expect(got.length).toBeGreaterThanOrEqual(2); // 2 s segments, 1 s GOP
    }
  });

  it('cuts across segment joins without re-encoding, within a GOP of the request, and stores it by hash', async () => {
    const job = {
      incidentId,
      cameraId,
      from: new Date(BASE + 3300).toISOString(),
      to: new Date(BASE + 9700).toISOString(),
    };
    expect(await makeClipEvidence({ pool: db.pool, store, index, ffmpeg: 'ffmpeg', graceMs: 0 }, job)).toBe(
      'success',
    );
    const { rows } = await db.pool.query<{
      id: string;
      kind: string;
      sha256: string;
      duration_s: number;
      codec: string;
    }>('SELECT id, kind, sha256, duration_s, codec FROM evidence WHERE incident_id = $1 ORDER BY id', [
      incidentId,
    ]);
    expect(rows.map((r) => r.kind)).toEqual(['clip', 'track', 'snapshot']);
    const clipRow = rows[0] as (typeof rows)[number];
    expect(clipRow.codec).toBe('h264');
    const clipPath = store.pathOf(clipRow.sha256, 'clip');
    expect((await probeVideo('ffmpeg', clipPath)).durationS).toBeGreaterThan(6.4 - 0.2);
    expect(clipRow.duration_s).toBeLessThan(6.4 + 1.0 + 0.2); // at most one GOP (1 s) early
    const frames = frameNumbers(clipPath);
    const firstS = (frames[0] ?? 0) / FPS;
    const lastS = (frames.at(-1) ?? 0) / FPS;
    expect(firstS).toBeGreaterThanOrEqual(3.3 - 1.0 - 0.05);
    expect(firstS).toBeLessThanOrEqual(3.3 + 0.05);
    expect(lastS).toBeGreaterThanOrEqual(9.7 - 1.0);
    // no frame lost or repeated at the 4 s, 6 s and 8 s segment joins
    frames.slice(1).forEach((n, i) => {
      expect(n - (frames[i] ?? 0)).toBe(1);
    });

    for (const r of rows) expect((await store.verify(Number(r.id))).ok).toBe(true);
    const track = JSON.parse(readFileSync(store.pathOf(rows[1]?.sha256 ?? '', 'track'), 'utf8')) as {
      boxes: { t: number; cls: string }[];
    };
    expect(track.boxes.map((b) => b.cls)).toEqual(['debris_pile', 'debris_pile']);
    expect(statSync(store.pathOf(rows[2]?.sha256 ?? '', 'snapshot')).size).toBeGreaterThan(500);
    expect(statSync(clipPath).mode & 0o222).toBe(0); // write-once

    // Running the job again changes nothing (BullMQ retries must not duplicate evidence).
    expect(await makeClipEvidence({ pool: db.pool, store, index, ffmpeg: 'ffmpeg', graceMs: 0 }, job)).toBe(
      'skipped',
    );
    const audit = await readAudit(db.pool, { targetType: 'incident', targetId: String(incidentId) });
    expect(audit.map((a) => a.action)).toEqual(['evidence.create']);
    expect(verifyChain(await readAudit(db.pool))).toEqual([]);
  });

  it('marks the clip missing, with the reason, when its recording is gone', async () => {
    const inc = await db.pool.query<{ id: string }>(
      `INSERT INTO incidents (type, dedupe_key, camera_id, started_at) VALUES ('dust', 'k-2', $1, $2) RETURNING id`,
      [cameraId, new Date(BASE + 3_600_000)],
    );
    const id = Number(inc.rows[0]?.id);
    const job = {
      incidentId: id,
      cameraId,
      from: new Date(BASE + 3_600_000).toISOString(),
      to: new Date(BASE + 3_630_000).toISOString(),
    };
    const deps = { pool: db.pool, store, index, ffmpeg: 'ffmpeg', graceMs: 60_000 };
    // Still inside the grace period: the job fails so BullMQ retries it later.
    await expect(makeClipEvidence({ ...deps, now: () => BASE + 3_640_000 }, job)).rejects.toThrow(
      /not recorded/,
    );
    expect(await makeClipEvidence({ ...deps, now: () => BASE + 3_700_000 }, job)).toBe('success');
    const { rows } = await db.pool.query<{ status: string; missing_reason: string }>(
      'SELECT status, missing_reason FROM evidence WHERE incident_id = $1',
      [id],
    );
    expect(rows).toEqual([
      { status: 'missing', missing_reason: expect.stringMatching(/no recording covers/) as unknown },
    ]);
  });

  it('retention never removes evidence under legal hold, and a deletion leaves an audited tombstone', async () => {
    const { rows } = await db.pool.query<{ id: string }>(
      "SELECT id FROM evidence WHERE incident_id = $1 AND kind = 'clip'",
      [incidentId],
    );
    const clipId = Number(rows[0]?.id);
    await store.setLegalHold(clipId, true, { id: null, name: 'auditor1' });
    const farFuture = BASE + 3650 * 86_400_000;
    const deleted = await store.applyRetention({ maxDays: 30, closedDays: 30 }, farFuture);
    expect(deleted).not.toContain(clipId);
    expect(deleted.length).toBeGreaterThan(0); // the track and snapshot were not held
    expect((await store.verify(clipId)).ok).toBe(true);
    await expect(store.delete(clipId, { id: null, name: 'x' }, 'test')).rejects.toThrow(/legal hold/);
    const tomb = await db.pool.query<{ status: string; sha256: string | null }>(
      'SELECT status, sha256 FROM evidence WHERE id = $1',
      [deleted[0]],
    );
    expect(tomb.rows[0]?.status).toBe('deleted');
    expect(tomb.rows[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const actions = (await readAudit(db.pool, { targetType: 'evidence' })).map((a) => a.action);
    expect(actions).toContain('evidence.hold');
    expect(actions).toContain('evidence.delete');
  });

  it('exports a signed package that the offline verifier accepts, and names a tampered file', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const outDir = mkdtempSync(join(tmpdir(), 'mw-export-'));
    const pkg = await exportIncident({ pool: db.pool, store, signingKey: privateKey, outDir }, incidentId, {
      id: null,
      name: 'auditor1',
    });
    expect(pkg.files).toEqual(expect.arrayContaining(['incident.json', 'gps-track.json', 'audit.json']));
    expect(pkg.files.some((f) => f.startsWith('clip-') && f.endsWith('.mp4'))).toBe(true);
    const cli = (file: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'bin/verify-export.ts', file], { encoding: 'utf8' });
    const ok = cli(pkg.path);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^OK /);

    const entries = unzipSync(readFileSync(pkg.path));
    const clipName = Object.keys(entries).find((n) => n.startsWith('clip-')) ?? '';
    const clip = entries[clipName] as Uint8Array;
    clip[clip.length >> 1] = (clip[clip.length >> 1] ?? 0) ^ 0x01;
    const tampered = join(outDir, 'tampered.zip');
    writeFileSync(tampered, zipSync(entries));
    const bad = cli(tampered);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`${clipName}: changed`);
    const actions = (await readAudit(db.pool, { targetType: 'incident', targetId: String(incidentId) })).map(
      (a) => a.action,
    );
    expect(actions).toContain('evidence.export');
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CameraHealth, Frame, RecordedSegment } from './health.js';
import { CameraSupervisor, supervisorConfig, type SupervisorConfig } from './supervisor.js';
import { testPatternClip as makeClip } from '../../fixtures/index.js';

const base = (url: string): SupervisorConfig =>
  supervisorConfig(
    { cameraId: 1, url, recordingDir: mkdtempSync(join(tmpdir(), 'mw-rec-')) },
    {
      frames: { fps: 5, width: 160, height: 160 },
      segmentSeconds: 2,
      ioTimeoutS: 3,
      stallTimeoutS: 3,
      backoff: { baseMs: 200, capMs: 1000 },
      queueCapacity: 1000,
      stopGraceMs: 2000,
    },
  );

const exec = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(pred: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(100);
  }
}

describe('camera supervisor with real ffmpeg', () => {
  let clip: string;
  beforeAll(() => {
    clip = makeClip({ width: 320, height: 240, seconds: 7 });
  });

  it('delivers letterboxed frames at the detect rate with monotonic times, and gap-free segments', async () => {
    const segments: RecordedSegment[] = [];
    const sup = new CameraSupervisor(base(clip), { onSegment: (s) => segments.push(s) });
    sup.start();
    await waitFor(() => sup.health().state === 'streaming', 10_000);
    await sleep(5_000);
    await sup.stop();

    const frames: Frame[] = [];
    for (let f = sup.frames.poll(); f; f = sup.frames.poll()) frames.push(f);
    expect(frames.length).toBeGreaterThanOrEqual(20); // 5 fps for ≥ 5 s
    expect(frames.length).toBeLessThanOrEqual(40);
    for (const f of frames) expect(f.data.length).toBe(160 * 160 * 3);
    frames.slice(1).forEach((f, i) => {
      expect(f.seq).toBe((frames[i]?.seq ?? 0) + 1);
      expect(f.time - (frames[i]?.time ?? 0)).toBe(200);
    });
    // 320x240 → 160x120 centred: 20 rows of pad 114 above and below, picture in the middle.
    const px = (f: Frame, x: number, y: number) => f.data[(y * 160 + x) * 3] ?? -1;
    const f0 = frames[0] as Frame;
    expect([px(f0, 0, 0), px(f0, 80, 5), px(f0, 80, 155)]).toEqual([114, 114, 114]);
    const middle = new Set(Array.from({ length: 160 }, (_, x) => px(f0, x, 80)));
    expect(middle.size).toBeGreaterThan(5);

    expect(segments.length).toBeGreaterThanOrEqual(2);
    segments.slice(1).forEach((s, i) => {
      expect(Math.abs(s.startMs - (segments[i]?.endMs ?? 0))).toBeLessThanOrEqual(50);
    });
    for (const s of segments) expect(s.bytes).toBeGreaterThan(0);
    expect(sup.health().state).toBe('stopped');
  });

  it('with a sub stream, analyses its frames (boxes in the main picture) and records the main stream', async () => {
    const sub = makeClip({ width: 160, height: 90, seconds: 7 });
    const main = makeClip({ width: 320, height: 180, seconds: 7 });
    const segments: RecordedSegment[] = [];
    const cfg = { ...base(main), detectSource: { url: sub, transport: 'tcp' as const } };
    const sup = new CameraSupervisor(cfg, { onSegment: (s) => segments.push(s) });
    sup.start();
    await waitFor(() => sup.health().state === 'streaming', 10_000);
    await sleep(3_000);
    await sup.stop();
    const frames: Frame[] = [];
    for (let f = sup.frames.poll(); f; f = sup.frames.poll()) frames.push(f);
    expect(frames.length).toBeGreaterThanOrEqual(10);
    const last = frames[frames.length - 1] as Frame;
    expect([last.sourceWidth, last.sourceHeight, last.view]).toEqual([160, 90, { width: 320, height: 180 }]);
    expect(sup.health().sourceResolution).toEqual({ width: 320, height: 180 });
    // 160x90 → 160x90 in a 160x160 frame: 35 rows of pad above the picture.
    expect(last.data[(10 * 160 + 80) * 3]).toBe(114);
    expect(segments.length).toBeGreaterThanOrEqual(1);
    const seg = segments[0] as RecordedSegment;
    const { stdout } = await exec('ffprobe', [
      ...['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0'],
      seg.path,
    ]);
    expect(stdout.trim().split('\n')[0]).toBe('320,180'); // (MPEG-TS lists the stream per program too)
  });

  it('reconnects when the stream ends, recording the gap', async () => {
    const short = makeClip({ width: 160, height: 120, seconds: 2 });
    const gaps: unknown[] = [];
    const sup = new CameraSupervisor(base(short), { onGap: (g) => gaps.push(g) });
    sup.start();
    await waitFor(() => sup.health().reconnects >= 2, 20_000);
    await sup.stop();
    expect(gaps.length).toBeGreaterThanOrEqual(2);
    expect(gaps[0]).toMatchObject({ cameraId: 1, cause: 'the stream ended' });
  });

  it('names the cause of a camera that cannot be reached, and backs off', async () => {
    const states: CameraHealth[] = [];
    const sup = new CameraSupervisor(base('rtsp://127.0.0.1:9/live'), { onState: (h) => states.push(h) });
    sup.start();
    await waitFor(() => states.some((s) => s.state === 'backoff'), 10_000);
    await sup.stop();
    const h = sup.health();
    expect(h.lastError?.kind).toBe('connection_refused');
    expect(h.lastError?.message).toMatch(/nothing is listening/);
    expect(h.framesOut).toBe(0);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraHealth, Frame, RecordedSegment, RecordingGap } from './health.js';
import { CameraSupervisor, supervisorConfig, type SupervisorConfig } from './supervisor.js';
import {
  clipBase,
  startCameraSimulator,
  testPatternClip as makeClip,
  type CameraSimulator,
} from '../../fixtures/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function config(url: string, transport: 'tcp' | 'udp' = 'tcp'): SupervisorConfig {
  return supervisorConfig(
    { cameraId: 7, url, recordingDir: mkdtempSync(join(tmpdir(), 'mw-rtsp-rec-')) },
    {
      source: { url, transport },
      frames: { fps: 5, width: 320, height: 320 },
      segmentSeconds: 2,
      ioTimeoutS: 3,
      stallTimeoutS: 3,
      backoff: { baseMs: 200, capMs: 1500 },
      queueCapacity: 10_000,
      stopGraceMs: 2000,
    },
  );
}

function drain(s: CameraSupervisor): Frame[] {
  const out: Frame[] = [];
  for (let f = s.frames.poll(); f; f = s.frames.poll()) out.push(f);
  return out;
}

describe('camera supervisor over the RTSP camera simulator', () => {
  let sim: CameraSimulator;
  beforeAll(async () => {
    const small = makeClip({ width: 320, height: 240, seconds: 4 });
    sim = await startCameraSimulator({
      streams: [
        { path: 'gate', clips: [`${clipBase('dumping-gate')}.mp4`, small] },
        {
          path: 'secure',
          clips: [`${clipBase('vending-street')}.mp4`],
          credentials: { user: 'admin', pass: 'right' },
        },
      ],
    });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it.each([['tcp'], ['udp']] as const)(
    'over %s: frames at the detect rate and size, monotonic times; segments without gaps',
    async (transport) => {
      const segments: RecordedSegment[] = [];
      const sup = new CameraSupervisor(config(sim.url('gate'), transport), {
        onSegment: (s) => segments.push(s),
      });
      sup.start();
      await waitFor(() => sup.health().state === 'streaming', 15_000, 'streaming');
      await sleep(5000);
      const h = sup.health();
      await sup.stop();
      const frames = drain(sup);
      expect(frames.length).toBeGreaterThanOrEqual(18);
      expect(frames.length).toBeLessThanOrEqual(35);
      for (const f of frames) {
        expect(f.data.length).toBe(320 * 320 * 3);
        expect([f.sourceWidth, f.sourceHeight]).toEqual([640, 360]);
      }
      frames.slice(1).forEach((f, i) => {
        expect(f.time).toBeGreaterThan(frames[i]?.time ?? Infinity);
      });
      expect(h.sourceResolution).toEqual({ width: 640, height: 360 });
      expect(h.fpsIn).toBeGreaterThan(15);
      expect(segments.length).toBeGreaterThanOrEqual(2);
      segments.slice(1).forEach((s, i) => {
        expect(Math.abs(s.startMs - (segments[i]?.endMs ?? 0))).toBeLessThanOrEqual(100);
      });
    },
    60_000,
  );

  it('the server going away 5 times gives 5 reconnects, recorded gaps and no crash', async () => {
    const gaps: RecordingGap[] = [];
    const sup = new CameraSupervisor(config(sim.url('gate')), { onGap: (g) => gaps.push(g) });
    sup.start();
    await waitFor(() => sup.health().state === 'streaming', 15_000, 'streaming');
    for (let i = 1; i <= 5; i++) {
      await sim.goAway(800);
      await waitFor(
        () => sup.health().reconnects >= i && sup.health().state === 'streaming',
        20_000,
        `reconnect ${String(i)}`,
      );
    }
    await sup.stop();
    expect(sup.health().reconnects).toBe(5);
    expect(gaps).toHaveLength(5);
    for (const g of gaps) expect(g.endMs ?? 0).toBeGreaterThan(g.startMs);
  }, 120_000);

  it('a stalled stream is detected and restarted', async () => {
    const states: CameraHealth['state'][] = [];
    // Socket timeout above the stall timeout: the watchdog, not ffmpeg, must notice.
    const sup = new CameraSupervisor(
      { ...config(sim.url('gate')), ioTimeoutS: 20 },
      { onState: (h) => states.push(h.state) },
    );
    sup.start();
    await waitFor(() => sup.health().state === 'streaming', 15_000, 'streaming');
    sim.stall('gate', 6000);
    await waitFor(() => states.includes('stalled'), 10_000, 'stalled');
    await waitFor(
      () => states.lastIndexOf('streaming') > states.indexOf('stalled'),
      20_000,
      'streaming again',
    );
    await sup.stop();
    expect(sup.health().lastError?.message).toMatch(/no frame for 3 s/);
  }, 60_000);

  it('a resolution change mid-stream keeps frames at the model size, from the new picture', async () => {
    const sup = new CameraSupervisor(config(sim.url('gate')));
    sup.start();
    await waitFor(() => sup.health().state === 'streaming', 15_000, 'streaming');
    await sleep(1000);
    sim.switchClip('gate', 1);
    await sleep(4000);
    await sup.stop();
    sim.switchClip('gate', 0);
    const frames = drain(sup);
    expect(frames.length).toBeGreaterThan(15);
    for (const f of frames) expect(f.data.length).toBe(320 * 320 * 3);
    // 320x240 letterboxed in 320x320 leaves 40 pad rows above: the last frames show it.
    const last = frames.at(-1) as Frame;
    expect(last.data[(5 * 320 + 160) * 3]).toBe(114);
    // Boxes are mapped back to source pixels by this size: it must follow the change.
    expect([frames[0]?.sourceWidth, frames[0]?.sourceHeight]).toEqual([640, 360]);
    expect([last.sourceWidth, last.sourceHeight]).toEqual([320, 240]);
    expect(sup.health().sourceResolution).toEqual({ width: 320, height: 240 });
  }, 60_000);

  it('wrong credentials and a wrong path surface as clear camera errors', async () => {
    const bad = new CameraSupervisor(config(sim.url('secure', { user: 'admin', pass: 'wrong' })));
    bad.start();
    await waitFor(() => bad.health().lastError !== null, 15_000, 'auth error');
    await bad.stop();
    expect(bad.health().lastError?.kind).toBe('auth_refused');
    expect(bad.health().lastError?.message).toMatch(/refused the user name or password/);

    const missing = new CameraSupervisor(config(sim.url('no-such-camera')));
    missing.start();
    await waitFor(() => missing.health().lastError !== null, 15_000, 'not found');
    await missing.stop();
    expect(missing.health().lastError?.kind).toBe('not_found');

    const good = new CameraSupervisor(config(sim.url('secure', { user: 'admin', pass: 'right' })));
    good.start();
    await waitFor(() => good.health().state === 'streaming', 15_000, 'streaming with credentials');
    await good.stop();
  }, 60_000);
});

/**
 * How many 1080p25 cameras one pipeline node on this machine sustains with recording on and
 * no dropped frames (decode + 5 fps letterboxed frames, before inference). Adds cameras until one
 * falls behind (source fps < 23 — the
 * counter is read once a second, so 25 fps reads 24–26 — or sampled fps < 4.5, or a frame dropped).
 */
import { mkdtempSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCameraSimulator, testPatternClip } from '../fixtures/index.js';
import { CameraSupervisor, supervisorConfig } from '../ingest/index.js';
import { cpuSeconds, findPids } from './lib-proc.js';
import type { Benchmark } from './record.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const benchClip = (width: number, height: number): string =>
  testPatternClip({ width, height, seconds: 20, cacheDir: '.data/bench' });
const MAX = 12;

const bench: Benchmark = {
  name: 'camera-capacity',
  async run() {
    const sim = await startCameraSimulator({
      streams: [{ path: 'cam', clips: [benchClip(1920, 1080)] }],
    });
    let sustained = 0;
    let limit = `not reached up to ${String(MAX)} cameras`;
    try {
      for (let n = 1; n <= MAX; n++) {
        const sups = Array.from(
          { length: n },
          (_, i) =>
            new CameraSupervisor(
              supervisorConfig(
                {
                  cameraId: i + 1,
                  url: sim.url('cam'),
                  recordingDir: mkdtempSync(join(tmpdir(), 'mw-cap-')),
                },
                { stopGraceMs: 3000 },
              ),
            ),
        );
        for (const s of sups) s.start();
        // A consumer drains every queue, as the inference engine would.
        const drain = setInterval(() => {
          for (const s of sups) while (s.frames.poll());
        }, 50);
        await sleep(4000);
        const pids = findPids('ffmpeg', '/cam', 'segment');
        const c0 = pids.reduce((a, p) => a + cpuSeconds(p), 0);
        const before = sups.map((s) => s.health());
        await sleep(10_000);
        const after = sups.map((s) => s.health());
        const cpu = (pids.reduce((a, p) => a + cpuSeconds(p), 0) - c0) / 10;
        clearInterval(drain);
        await Promise.all(sups.map((s) => s.stop()));
        const slow = after.find(
          (h, i) =>
            h.fpsIn < 23 ||
            (h.framesOut - (before[i]?.framesOut ?? 0)) / 10 < 4.5 ||
            h.dropped > (before[i]?.dropped ?? 0),
        );
        process.stdout.write(
          `  ${String(n)} cameras: ffmpeg CPU ${cpu.toFixed(2)} CPU-s/s, min fps in ${Math.min(...after.map((h) => h.fpsIn)).toFixed(1)}` +
            `${slow ? ' → behind' : ''}\n`,
        );
        if (slow) {
          limit = `at ${String(n)} cameras ffmpeg used ${cpu.toFixed(2)} of 2 cores (machine load ${loadavg()[0]?.toFixed(1) ?? '?'})`;
          break;
        }
        sustained = n;
      }
    } finally {
      await sim.stop();
    }
    return {
      metric: `1080p25 cameras per node, recording + 5 fps, no drops (limit: ${limit})`,
      value: sustained,
      unit: 'cameras',
      baseline: null,
      target: 'report (inference goal ≥ 12 with detection)',
    };
  },
};
export default bench;

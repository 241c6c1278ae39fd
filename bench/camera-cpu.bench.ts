/**
 * CPU per camera for one pipeline ffmpeg (recording copy + 5 fps letterboxed RGB frames) against
 * a plain `ffmpeg -i URL -f null -` (with the pipeline's default decoder settings)
 * on the same RTSP stream, in the same run, for 720p25 and
 * 1080p25 (medians of three alternating runs each). CPU is read from /proc (user + system seconds), so other load on the machine changes
 * wall time more than the measure. Target: ratio ≤ 1.15.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCameraSimulator, testPatternClip } from '../fixtures/index.js';
import { CameraSupervisor, supervisorConfig } from '../ingest/index.js';
import { cpuRate, findPids, median, plainDecodeCpu } from './lib-proc.js';
import type { Benchmark } from './record.js';

const WINDOW_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const benchClip = (width: number, height: number): string =>
  testPatternClip({ width, height, seconds: 20, cacheDir: '.data/bench' });

async function pipelineFfmpeg(url: string, path: string): Promise<number> {
  const sup = new CameraSupervisor(
    supervisorConfig(
      { cameraId: 1, url, recordingDir: mkdtempSync(join(tmpdir(), 'mw-bench-rec-')) },
      { stopGraceMs: 3000 },
    ),
  );
  sup.start();
  try {
    await sleep(1500);
    const pid = findPids('ffmpeg', `/${path}`, 'segment')[0];
    if (!pid) throw new Error('pipeline ffmpeg not found');
    return await cpuRate(pid, WINDOW_MS);
  } finally {
    await sup.stop();
  }
}

const bench: Benchmark = {
  name: 'camera-cpu',
  async run() {
    const clips = { '720p': benchClip(1280, 720), '1080p': benchClip(1920, 1080) };
    const sim = await startCameraSimulator({
      streams: Object.entries(clips).map(([path, file]) => ({ path, clips: [file] })),
    });
    const rows: Record<string, { plain: number; ours: number }> = {};
    try {
      for (const path of Object.keys(clips)) {
        // Alternate the two, three times each: other load on the machine drifts over minutes.
        const plains: number[] = [];
        const ourses: number[] = [];
        for (let rep = 0; rep < 3; rep++) {
          plains.push(await plainDecodeCpu(sim.url(path), WINDOW_MS));
          ourses.push(await pipelineFfmpeg(sim.url(path), path));
        }
        const plain = median(plains);
        const ours = median(ourses);
        rows[path] = { plain, ours };
        process.stdout.write(
          `  ${path}: plain ${plain.toFixed(3)} CPU-s/s, pipeline ${ours.toFixed(3)} CPU-s/s\n`,
        );
      }
    } finally {
      await sim.stop();
    }
    const r = rows['1080p'] ?? { plain: NaN, ours: NaN };
    const r720 = rows['720p'] ?? { plain: NaN, ours: NaN };
    return {
      metric: `CPU per 1080p25 camera, recording + 5 fps frames (720p: ${r720.ours.toFixed(3)} vs ${r720.plain.toFixed(3)}, ratio ${(r720.ours / r720.plain).toFixed(3)})`,
      value: r.ours,
      unit: 'CPU-s/s',
      baseline: r.plain,
      target: 'ratio ≤ 1.15 vs plain ffmpeg -f null on the same stream',
    };
  },
};
export default bench;

/**
 * Camera live view, glass to glass: the RTSP camera simulator plays a clip with its frame index
 * burnt in; the operator opens the camera's live view in headless chromium; every new picture
 * on screen is read back and compared with when the simulator sent that frame. Measured for both
 * players the console has: MSE (camera H.264 copied into fragmented MP4, the default) and JSMpeg
 * (MPEG-1 re-encoded, decoded in JavaScript). Value: MSE p95; baseline: JSMpeg p95.
 * Target: ≤ 1000 ms (a monitoring wall).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  frameCodeClip,
  frameCodeProbe,
  glassToGlassMs,
  startCameraSimulator,
  type FrameSighting,
} from '../fixtures/index.js';
import { percentile, startBenchConsole } from './console-lib.js';
import type { Benchmark } from './record.js';

const FPS = 25;
/** Seconds of pictures read per player and round, after start-up (not steady state) has passed. */
const MEASURE_S = 15;
/** Players alternate, so a burst of load on a shared machine does not land on one only. */
const ROUNDS = 2;

/** CPU seconds used so far by the ffmpeg processes reading `url` (the console's live feed). */
function feedCpuS(url: string): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(url)) continue;
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(f[11]) + Number(f[12]); // utime + stime
    } catch {
      /* ended meanwhile */
    }
  }
  return ticks / 100;
}

const bench: Benchmark = {
  name: 'console-live-latency',
  async run() {
    const clip = frameCodeClip({ seconds: 40, fps: FPS, cacheDir: join(tmpdir(), 'mw-bench-clips') });
    const sim = await startCameraSimulator({ streams: [{ path: 'gate', clips: [clip] }] });
    const c = await startBenchConsole();
    try {
      const { rows } = await c.pool.query<{ id: string }>(
        `INSERT INTO cameras (code, name, rtsp_main_url) VALUES ('BENCH-1', 'bench gate', $1) RETURNING id`,
        [sim.url('gate')],
      );
      const id = String(rows[0]?.id);
      const measure = async (format: 'fmp4' | 'mpegts'): Promise<{ ms: number[]; cpu: number }> => {
        const page = await c.login(`cameras/${id}/${format}`);
        await page.waitForSelector('#live-media');
        await page.evaluate(frameCodeProbe('#live-media', 2, 30_000)); // first picture, then settle
        await new Promise((r) => setTimeout(r, 1000));
        const cpu0 = feedCpuS(sim.url('gate'));
        const t0 = Date.now();
        const seen = await page.evaluate<FrameSighting[]>(
          frameCodeProbe('#live-media', MEASURE_S * FPS, MEASURE_S * 1000),
        );
        const cpu = (feedCpuS(sim.url('gate')) - cpu0) / ((Date.now() - t0) / 1000);
        await page.context().close();
        await new Promise((r) => setTimeout(r, 1000)); // the feed stops with its last viewer
        const ms = glassToGlassMs(seen, sim.timeBase('gate'), FPS);
        if (ms.length < MEASURE_S * 5) throw new Error(`${format}: only ${String(ms.length)} pictures read`);
        process.stdout.write(
          `console-live-latency ${format}: ${String(ms.length)} pictures in ${String(MEASURE_S)} s, ` +
            `p50 ${String(Math.round(percentile(ms, 50)))} ms, p95 ${String(Math.round(percentile(ms, 95)))} ms, ` +
            `min ${String(Math.round(Math.min(...ms)))} ms, max ${String(Math.round(Math.max(...ms)))} ms, ` +
            `server ffmpeg ${(cpu * 100).toFixed(1)}% of a core\n`,
        );
        return { ms, cpu };
      };
      const mse: number[] = [];
      const jsmpeg: number[] = [];
      const cpu = { fmp4: 0, mpegts: 0 };
      for (let i = 0; i < ROUNDS; i++) {
        for (const [format, into] of [
          ['fmp4', mse],
          ['mpegts', jsmpeg],
        ] as const) {
          const m = await measure(format);
          into.push(...m.ms);
          cpu[format] += m.cpu / ROUNDS;
        }
      }
      const p = (xs: number[], q: number): string => String(Math.round(percentile(xs, q)));
      process.stdout.write(
        `console-live-latency all rounds: MSE p50 ${p(mse, 50)} p95 ${p(mse, 95)} ms, ffmpeg ${(cpu.fmp4 * 100).toFixed(1)}% core; ` +
          `JSMpeg p50 ${p(jsmpeg, 50)} p95 ${p(jsmpeg, 95)} ms, ffmpeg ${(cpu.mpegts * 100).toFixed(1)}% core\n`,
      );
      return {
        metric: 'live view glass-to-glass p95, MSE fMP4 (baseline: JSMpeg MPEG-1)',
        value: Math.round(percentile(mse, 95)),
        unit: 'ms',
        baseline: Math.round(percentile(jsmpeg, 95)),
        target: '≤ 1000 ms',
      };
    } finally {
      await c.close();
      await sim.stop();
    }
  },
};
export default bench;

/**
 * Pipeline CPU per analysed frame against what it cannot avoid, measured in the same run:
 * - pipeline: four 1080p25 cameras (the dumping-gate scene scaled up) pulled by the camera
 *   supervisor (ffmpeg: recording copy + 5 fps letterboxed RGB), run through the inference
 *   engine (worker thread, shipped model, 1 intra-op thread, batches up to 4), tracker and camera
 *   event rules. CPU = this process (main + worker threads; the RTSP simulator runs in its own
 *   process) + the cameras' ffmpeg processes, over a window, ÷ frames analysed in it;
 * - baseline: bare `session.run` CPU per frame of the same model at the batch sizes the engine
 *   ran (each size weighted by the frames it carried), plus each analysed frame's share of decoding the stream
 *   (`ffmpeg -i URL -f null -` with the pipeline's decoder settings, one per camera running at
 *   once as the pipeline's do, CPU per second ÷ analysed frames per second; median of 3).
 * Target: ratio ≤ 1.15. CPU is read as user + system seconds, so other load stretches wall time
 * more than the figures; on a machine with hyperthreads, other load still inflates both.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CameraAnalysis, InferenceEngine, thresholdsOf } from '../inference/index.js';
import { CameraSupervisor, supervisorConfig } from '../ingest/index.js';
import { REFERENCE_MODEL } from '../models/index.js';
import { warmModel } from './lib-model.js';
import { startSimulatorProcess } from './lib-sim.js';
import { cpuSeconds, findPids, median, plainDecodeCpu, threadCpuByName } from './lib-proc.js';
import type { Benchmark } from './record.js';

const CAMERAS = 4;
const FPS = 5;
const WARM_MS = 8_000;
const WINDOW_MS = 30_000;
const CLIP = '.data/bench/dumping-gate-1080p.mp4';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const processCpuS = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function clip1080p(): string {
  if (existsSync(CLIP)) return CLIP;
  mkdirSync('.data/bench', { recursive: true });
  // Same encoding habits as a camera: no B-frames, a keyframe a second.
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-i', 'fixtures/clips/dumping-gate.mp4'],
    ...['-vf', 'scale=1920:1080:flags=bicubic', '-c:v', 'libx264', '-preset', 'veryfast'],
    ...['-bf', '0', '-g', '25', '-b:v', '4000k', '-pix_fmt', 'yuv420p', CLIP],
  ]);
  return CLIP;
}

/** The pipeline path for a window: CPU-s per analysed frame, and the engine's mean batch. */
async function pipeline(base: string): Promise<{
  perFrameS: number;
  ffmpegS: number;
  batch: number;
  /** Frames run at each batch size in the window: frames[n] in batches of n. */
  framesBySize: number[];
  fps: number;
  dropped: number;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-infcpu-'));
  let minScore: Record<string, number> = {};
  const analysis = new CameraAnalysis({
    rulesFor: () => ({ scoreThreshold: minScore, loiteringS: 60 }),
    zonesFor: () => [],
  });
  const engine = await InferenceEngine.open({
    manifestPath: REFERENCE_MODEL,
    workers: 1,
    intraOpThreads: 1,
    maxBatch: 4,
    perCameraQueue: 10,
    scoreFloor: 0.1,
    onResult: (r) => analysis.onDetections(r),
  });
  const t = thresholdsOf(engine.manifest);
  minScore = Object.fromEntries(engine.manifest.classes.map((c, i) => [c, t[i] ?? 0.5]));
  const { width, height } = engine.manifest.input;
  const sups = Array.from({ length: CAMERAS }, (_, id) => {
    const sup = new CameraSupervisor(
      supervisorConfig(
        { cameraId: id, url: `${base}cam${String(id)}`, recordingDir: join(dir, String(id)) },
        { frames: { fps: FPS, width, height } },
      ),
    );
    sup.start();
    void (async () => {
      for (;;) {
        const f = await sup.frames.take();
        engine.submit(f);
      }
    })();
    return sup;
  });
  try {
    await sleep(WARM_MS);
    const ffmpegs = findPids('ffmpeg', base, 'segment');
    if (ffmpegs.length !== CAMERAS)
      throw new Error(`expected ${String(CAMERAS)} ffmpeg, found ${String(ffmpegs.length)}`);
    const s0 = engine.stats();
    const f0 = ffmpegs.reduce((a, p) => a + cpuSeconds(p), 0);
    const c0 = processCpuS() + f0;
    const th0 = threadCpuByName();
    const t0 = performance.now();
    await sleep(WINDOW_MS);
    const th1 = threadCpuByName();
    const f1 = ffmpegs.reduce((a, p) => a + cpuSeconds(p), 0);
    const c1 = processCpuS() + f1;
    const s1 = engine.stats();
    const frames = s1.frames - s0.frames;
    const threads = Object.fromEntries(
      [...th1].map(([name, cpu]) => [
        name,
        Number((((cpu - (th0.get(name) ?? 0)) / frames) * 1000).toFixed(2)),
      ]),
    );
    process.stdout.write(`  this process by thread, ms CPU/frame: ${JSON.stringify(threads)}\n`);
    return {
      perFrameS: (c1 - c0) / frames,
      // The cameras' ffmpeg apart from this process (engine, tracker, rules): where the overhead is.
      ffmpegS: (f1 - f0) / frames,
      batch: frames / (s1.batches - s0.batches),
      framesBySize: s1.batchSizes.map((n, size) => (n - (s0.batchSizes[size] ?? 0)) * size),
      fps: (frames * 1000) / (performance.now() - t0),
      dropped: s1.dropped - s0.dropped,
    };
  } finally {
    await Promise.all(sups.map((s) => s.stop()));
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Bare session.run CPU per frame at the batch sizes the engine ran, weighted by the frames each
 * size carried (a batch of one costs more per frame than a batch of two).
 */
async function sessionRunMix(framesBySize: readonly number[]): Promise<number> {
  let cpu = 0;
  let frames = 0;
  for (const [size, n] of framesBySize.entries()) {
    if (size === 0 || n === 0) continue;
    cpu += n * (await sessionRun(size));
    frames += n;
  }
  return cpu / frames;
}

/** Bare session.run CPU per frame at this batch size, one intra-op thread, on this thread. */
async function sessionRun(batch: number): Promise<number> {
  const { model, feeds } = await warmModel(1, batch);
  try {
    const runs = Math.ceil(400 / batch);
    const c0 = processCpuS();
    for (let i = 0; i < runs; i++) await model.session.run(feeds);
    return (processCpuS() - c0) / (runs * batch);
  } finally {
    await model.session.release();
  }
}

const bench: Benchmark = {
  name: 'inference-cpu',
  async run() {
    const load = (os.loadavg()[0] ?? 0).toFixed(1);
    const { base, child } = await startSimulatorProcess(CAMERAS, clip1080p());
    try {
      const p = await pipeline(base);
      const runS = await sessionRunMix(p.framesBySize);
      // All cameras' plain decodes at once, as the pipeline's decoders run: the same contention.
      const decodes: number[] = [];
      for (let i = 0; i < 3; i++) {
        const rates = await Promise.all(
          Array.from({ length: CAMERAS }, (_, c) => plainDecodeCpu(`${base}cam${String(c)}`, 10_000)),
        );
        decodes.push(rates.reduce((a, r) => a + r, 0) / CAMERAS);
      }
      const decodeS = median(decodes) / FPS;
      const baseline = runS + decodeS;
      const ms = (s: number): string => (s * 1000).toFixed(2);
      process.stdout.write(
        `  pipeline ${ms(p.perFrameS)} ms CPU/frame (${p.fps.toFixed(1)} frames/s analysed, mean batch ` +
          `${p.batch.toFixed(2)}, ${String(p.dropped)} dropped); session.run ${ms(runS)} + decode share ` +
          `${ms(decodeS)} = ${ms(baseline)} ms; of the pipeline, ffmpeg ${ms(p.ffmpegS)} ms, this process ` +
          `${ms(p.perFrameS - p.ffmpegS)} ms\n`,
      );
      return {
        metric:
          `pipeline CPU per analysed frame, ${String(CAMERAS)} × 1080p25 cameras at ${String(FPS)} fps with recording ` +
          `(baseline: session.run ${ms(runS)} ms at the engine's batch sizes, mean ${p.batch.toFixed(2)}, + decode share ${ms(decodeS)} ms; ` +
          `pipeline: ffmpeg ${ms(p.ffmpegS)} ms + engine, tracker and rules ${ms(p.perFrameS - p.ffmpegS)} ms; ` +
          `${p.fps.toFixed(1)} frames/s analysed, ${String(p.dropped)} dropped; load average ${load} at start)`,
        value: Number(ms(p.perFrameS)),
        unit: 'ms CPU/frame',
        baseline: Number(ms(baseline)),
        target: 'ratio ≤ 1.15',
        details: {
          pipelineMsPerFrame: Number(ms(p.perFrameS)),
          ffmpegMsPerFrame: Number(ms(p.ffmpegS)),
          sessionRunMsPerFrame: Number(ms(runS)),
          decodeShareMsPerFrame: Number(ms(decodeS)),
          meanBatch: Number(p.batch.toFixed(2)),
          framesPerSecond: Number(p.fps.toFixed(1)),
          dropped: p.dropped,
        },
      };
    } finally {
      child.kill('SIGTERM');
    }
  },
};
export default bench;

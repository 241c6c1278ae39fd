/**
 * How many 1080p25 cameras one pipeline node on this machine sustains with recording on and no
 * dropped frames: with detection (every 5 fps frame through the inference engine, one worker
 * thread, the shipped model); with detection and pipeline.fastDecode; and frames only (decode +
 * letterboxed frames, a consumer drains the queues). Adds cameras until one falls behind: source
 * fps < 23 (the counter is read once a second, so 25 fps reads 24–26), sampled fps < 4.5, a frame
 * dropped at the camera, or, with detection, fewer than 4.5 frames a second analysed per camera
 * or a frame dropped by the engine. The RTSP simulator serving the cameras runs in a process of
 * its own on the same cores (its CPU still counts against the node; its event loop does not).
 * Last, cameras that offer a 640x360 sub stream: detection runs on it while the 1080p main stream
 * is recorded (what a node does for a camera with `rtsp_sub_url` set).
 */
import { mkdtempSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testPatternClip } from '../fixtures/index.js';
import { InferenceEngine } from '../inference/index.js';
import { CameraSupervisor, supervisorConfig } from '../ingest/index.js';
import { REFERENCE_MODEL } from '../models/index.js';
import { cpuSeconds, findPids } from './lib-proc.js';
import { startSimulatorProcess } from './lib-sim.js';
import type { Benchmark } from './record.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const benchClip = (width: number, height: number): string =>
  testPatternClip({ width, height, seconds: 20, cacheDir: '.data/bench' });
const MAX = 12;
/** With sub streams decode is cheap: search further. */
const MAX_SUB = 24;

/**
 * Cameras sustained, from `from` up (a lighter mode starts where a heavier one stopped: it holds
 * at least as many), and why it stopped there.
 */
async function capacity(
  url: string,
  simPid: number,
  mode: { detect: boolean; fastDecode: boolean; from: number; subUrl?: string },
): Promise<{ sustained: number; limit: string }> {
  const { detect, fastDecode, subUrl } = mode;
  const label =
    (detect ? 'with detection' : 'frames only') +
    (fastDecode ? ', fast decode' : '') +
    (subUrl ? ', on the 640x360 sub stream' : '');
  const max = subUrl ? MAX_SUB : MAX;
  let sustained = mode.from - 1;
  let limit = `not reached up to ${String(max)} cameras`;
  for (let n = mode.from; n <= max; n++) {
    let analysed = 0;
    const engine = detect
      ? await InferenceEngine.open({
          manifestPath: REFERENCE_MODEL,
          workers: 1,
          intraOpThreads: 1,
          maxBatch: 4,
          perCameraQueue: 10,
          onResult: () => analysed++,
        })
      : null;
    const size = engine?.manifest.input ?? { width: 320, height: 320 };
    const sups = Array.from(
      { length: n },
      (_, i) =>
        new CameraSupervisor(
          supervisorConfig(
            { cameraId: i + 1, url, recordingDir: mkdtempSync(join(tmpdir(), 'mw-cap-')) },
            {
              stopGraceMs: 3000,
              fastDecode,
              frames: { fps: 5, width: size.width, height: size.height },
              detectSource: subUrl ? { url: subUrl, transport: 'tcp' } : null,
            },
          ),
        ),
    );
    for (const s of sups) s.start();
    // Every queue is drained: into the engine, or dropped as the engine would take them.
    const drain = setInterval(() => {
      for (const s of sups) for (let f = s.frames.poll(); f; f = s.frames.poll()) engine?.submit(f);
    }, 20);
    await sleep(4000);
    const pids = findPids('ffmpeg', '/cam', 'segment');
    const c0 = pids.reduce((a, p) => a + cpuSeconds(p), 0);
    // Where the two cores go: the cameras' ffmpeg, this process (ingest, engine worker, rules) and
    // the simulator serving the streams (on a real node the cameras are elsewhere).
    const own0 = process.cpuUsage();
    const sim0 = cpuSeconds(simPid);
    const before = sups.map((s) => s.health());
    const a0 = analysed;
    const d0 = engine?.stats().dropped ?? 0;
    await sleep(10_000);
    const after = sups.map((s) => s.health());
    const cpu = (pids.reduce((a, p) => a + cpuSeconds(p), 0) - c0) / 10;
    const ownUs = process.cpuUsage(own0);
    const own = (ownUs.user + ownUs.system) / 1e6 / 10;
    const sim = (cpuSeconds(simPid) - sim0) / 10;
    const perCamera = (analysed - a0) / 10 / n;
    const engineDrops = (engine?.stats().dropped ?? 0) - d0;
    clearInterval(drain);
    await Promise.all(sups.map((s) => s.stop()));
    await engine?.close();
    const slow =
      after.some(
        (h, i) =>
          h.fpsIn < 23 ||
          (h.framesOut - (before[i]?.framesOut ?? 0)) / 10 < 4.5 ||
          h.dropped > (before[i]?.dropped ?? 0),
      ) ||
      (detect && (perCamera < 4.5 || engineDrops > 0));
    process.stdout.write(
      `  ${label}, ${String(n)} cameras: CPU-s/s ffmpeg ${cpu.toFixed(2)}, pipeline ${own.toFixed(2)}, ` +
        `simulator ${sim.toFixed(2)}; min fps in ` +
        Math.min(...after.map((h) => h.fpsIn)).toFixed(1) +
        (detect ? `, analysed ${perCamera.toFixed(1)}/s per camera, ${String(engineDrops)} dropped` : '') +
        `${slow ? ' → behind' : ''}\n`,
    );
    if (slow) {
      limit =
        `at ${String(n)} cameras ffmpeg used ${cpu.toFixed(2)} of 2 cores, the pipeline process ` +
        `${own.toFixed(2)}, the simulator ${sim.toFixed(2)} (machine load ${loadavg()[0]?.toFixed(1) ?? '?'})`;
      break;
    }
    sustained = n;
  }
  return { sustained, limit };
}

const bench: Benchmark = {
  name: 'camera-capacity',
  async run() {
    // Every camera pulls the same simulated stream (and sub stream), served from its own process.
    const { base, child } = await startSimulatorProcess(1, benchClip(1920, 1080), benchClip(640, 360));
    try {
      const url = `${base}cam0`;
      const simPid = child.pid;
      if (simPid === undefined) throw new Error('the camera simulator has no process id');
      const withDetection = await capacity(url, simPid, { detect: true, fastDecode: false, from: 1 });
      const from = withDetection.sustained + 1;
      const fast = await capacity(url, simPid, { detect: true, fastDecode: true, from });
      const framesOnly = await capacity(url, simPid, { detect: false, fastDecode: false, from });
      const sub = await capacity(url, simPid, {
        detect: true,
        fastDecode: false,
        from,
        subUrl: `${base}sub0`,
      });
      return {
        metric:
          `1080p25 cameras per node analysed at 5 fps with detection and recording, no drops ` +
          `(limit: ${withDetection.limit}); with pipeline.fastDecode ${String(fast.sustained)} ` +
          `(limit: ${fast.limit}); without detection ${String(framesOnly.sustained)} (limit: ${framesOnly.limit}); ` +
          `detecting on each camera's 640x360 sub stream (recording the 1080p one) ${String(sub.sustained)} ` +
          `(limit: ${sub.limit})`,
        value: withDetection.sustained,
        unit: 'cameras',
        baseline: null,
        target: 'goal ≥ 12 with detection',
      };
    } finally {
      child.kill('SIGTERM');
    }
  },
};
export default bench;

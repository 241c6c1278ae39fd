/**
 * A quick offline check of a detector against the event clips before the live benchmark:
 *   npx tsx bench/screen-events.ts [MANIFEST]   (default: the shipped model)
 * Each clip file is decoded by ffmpeg with the pipeline's own letterbox filter at 5 fps, every
 * frame goes through the inference engine, tracker and camera event rules, and the events are
 * scored against the clip's ground truth as `camera-events` scores them. No RTSP and no clock:
 * about 2 minutes for the 24 clips instead of 8, and the same frames every run, so two models
 * compare frame for frame. Records nothing; the live `npm run bench -- camera-events` is the figure.
 */
import { spawn } from 'node:child_process';
import {
  CameraAnalysis,
  InferenceEngine,
  scoreEvents,
  thresholdsOf,
  type FrameDetections,
} from '../inference/index.js';
import { letterboxFilter } from '../ingest/index.js';
import { REFERENCE_MODEL } from '../models/index.js';
import type { CameraEvent } from '../rules/index.js';
import { clipSet, zonesOf, type Clip } from './lib-event-clips.js';

const FPS = 5;

async function eventsOf(clip: Clip, manifestPath: string): Promise<CameraEvent[]> {
  const events: CameraEvent[] = [];
  let minScore: Record<string, number> = {};
  const analysis = new CameraAnalysis({
    rulesFor: () => ({ scoreThreshold: minScore, loiteringS: 10 }),
    zonesFor: () => zonesOf(clip),
  });
  const engine = await InferenceEngine.open({
    manifestPath,
    workers: 1,
    intraOpThreads: 1,
    maxBatch: 1,
    perCameraQueue: 1000,
    scoreFloor: 0.1,
    onResult: (r: FrameDetections) => events.push(...analysis.onDetections(r).events),
  });
  const t = thresholdsOf(engine.manifest);
  minScore = Object.fromEntries(engine.manifest.classes.map((c, i) => [c, t[i] ?? 0.5]));
  const { width, height } = engine.manifest.input;
  const size = width * height * 3;
  const ff = spawn('ffmpeg', [
    ...['-v', 'error', '-i', clip.path, '-vf', letterboxFilter({ fps: FPS, width, height })],
    ...['-f', 'rawvideo', 'pipe:1'],
  ]);
  let pending = Buffer.alloc(0);
  let seq = 0;
  for await (const chunk of ff.stdout as AsyncIterable<Buffer>) {
    pending = Buffer.concat([pending, chunk]);
    for (; pending.length >= size; pending = pending.subarray(size), seq++) {
      const data = new Uint8Array(pending.subarray(0, size));
      const time = (seq * 1000) / FPS;
      engine.submit({
        cameraId: 1,
        seq,
        time,
        data,
        sourceWidth: clip.gt.width,
        sourceHeight: clip.gt.height,
      });
    }
    // Frames go in as fast as they come; wait for the engine so none is dropped.
    while (engine.stats().frames + engine.stats().dropped < seq) await new Promise((r) => setTimeout(r, 5));
  }
  await engine.close();
  if (engine.stats().dropped > 0) throw new Error(`${clip.id}: the engine dropped frames`);
  return [...events, ...analysis.closeCamera(1)].filter((e) => e.phase === 'closed');
}

const manifest = process.argv[2] ?? REFERENCE_MODEL;
let tp = 0;
let fp = 0;
let fn = 0;
for (const clip of await clipSet()) {
  const found = await eventsOf(clip, manifest);
  const predicted = found.map((e) => ({ type: e.type, startMs: e.startMs, endMs: e.endMs ?? e.startMs }));
  // Ground truth is on the scenario's clock; the clip's first frame is at t0 there.
  const t0 = clip.gt.t0;
  const truth = clip.gt.events.map((e) => ({
    type: e.type,
    startMs: (e.start - t0) * 1000,
    endMs: (e.end - t0) * 1000,
  }));
  const s = scoreEvents(predicted, truth);
  tp += s.truePositives;
  fp += s.falsePositives;
  fn += s.falseNegatives;
  const at = (e: { type: string; startMs: number; endMs: number }): string =>
    `${e.type} ${(e.startMs / 1000).toFixed(1)}–${(e.endMs / 1000).toFixed(1)} s`;
  const missed = truth.filter((_, i) => !s.matches.includes(i)).map(at);
  const extra = predicted.filter((_, i) => s.matches[i] === null).map(at);
  process.stdout.write(
    `${clip.id}: ${String(s.truePositives)}/${String(truth.length)} found` +
      (missed.length ? `; missed ${missed.join(', ')}` : '') +
      (extra.length ? `; false ${extra.join(', ')}` : '') +
      '\n',
  );
}
const ratio = (a: number, b: number): string => (b === 0 ? '1.000' : (a / b).toFixed(3));
process.stdout.write(
  `${manifest}: recall ${ratio(tp, tp + fn)}, precision ${ratio(tp, tp + fp)} (${String(tp)} found, ${String(fn)} missed, ${String(fp)} false)\n`,
);

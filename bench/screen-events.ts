/**
 * A quick offline check of a detector against the event clips before the live benchmark:
 *   npx tsx bench/screen-events.ts [MANIFEST]   (default: the shipped model)
 * Each clip file is decoded by ffmpeg with the pipeline's own letterbox filter at 5 fps, every
 * frame goes through the inference engine, tracker and camera event rules, and the events are
 * scored against the clip's ground truth as `camera-events` scores them. No RTSP and no clock:
 * about 2 minutes for the 24 clips instead of 8, and the same frames every run, so two models
 * compare frame for frame. Records nothing; the live `npm run bench -- camera-events` is the figure.
 */
import { thresholdsOf } from '../inference/index.js';
import { readManifest, REFERENCE_MODEL } from '../models/index.js';
import { clipSet } from './lib-event-clips.js';
import { detectionsOf, replayEvents, scoreClip } from './lib-event-replay.js';

const manifest = process.argv[2] ?? REFERENCE_MODEL;
const m = readManifest(manifest);
const t = thresholdsOf(m);
const minScore = Object.fromEntries(m.classes.map((c, i) => [c, t[i] ?? 0.5]));
let tp = 0;
let fp = 0;
let fn = 0;
for (const clip of await clipSet()) {
  const {
    score: s,
    predicted,
    truth,
  } = scoreClip(clip, replayEvents(clip, await detectionsOf(clip, manifest), minScore));
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

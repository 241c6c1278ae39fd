/**
 * Camera events end to end, scored against ground truth: each clip is served by the RTSP camera
 * simulator, pulled by the real camera supervisor (ffmpeg, letterboxed frames at 5 fps), run
 * through the inference engine (shipped model), tracker and camera event rules, and the events
 * of one full loop of the clip are matched to the clip's ground-truth events (same type,
 * overlapping in time within 1 s). The set (`lib-event-clips.ts`): the committed fixture clips,
 * variants of them at other times of day and weather, and scenarios generated from held-out seeds
 * (never seen in training: the model learns from random still scenes, not these scenarios).
 * Clips play four at a time, as cameras on one node.
 * Also reported: frame-to-event latency (capture of the frame that completed a rule's window →
 * the event out of the rules), p50/p95.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CameraAnalysis,
  InferenceEngine,
  scoreEvents,
  thresholdsOf,
  type FrameDetections,
  type ScoredEvent,
} from '../inference/index.js';
import { CameraSupervisor, supervisorConfig } from '../ingest/index.js';
import { startCameraSimulator } from '../fixtures/index.js';
import { REFERENCE_MODEL } from '../models/index.js';
import type { CameraEvent } from '../rules/index.js';
import { clipSet, VARIANT_DIR, zonesOf } from './lib-event-clips.js';
import type { Benchmark } from './record.js';

const pct = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

const bench: Benchmark = {
  name: 'camera-events',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'mw-events-'));
    mkdirSync(join(dir, 'rec'));
    process.stdout.write(`  held-out variants in ${VARIANT_DIR} (rendered when missing)…\n`);
    const clips = await clipSet();

    const loopOf = new Map<number, number>(); // camera → the loop it scores (the first full one)
    const events = new Map<number, CameraEvent[]>(clips.map((_, i) => [i, []]));
    const eventLatency: number[] = [];
    const frameLatency: number[] = [];
    let minScore: Record<string, number> = {};
    const analysis = new CameraAnalysis({
      rulesFor: () => ({ scoreThreshold: minScore, loiteringS: 10 }),
      zonesFor: (id) => zonesOf(clips[id]),
    });
    let returned = 0;
    const onResult = (r: FrameDetections): void => {
      returned++;
      frameLatency.push(r.latencyMs);
      const t0 = performance.now();
      const found = analysis.onDetections(r).events;
      // Frame handed to the detector → event out of the rules (capture and decode not included).
      const ms = r.latencyMs + performance.now() - t0;
      for (const e of found) if (e.phase === 'opened') eventLatency.push(ms);
      events.get(r.cameraId)?.push(...found);
    };
    const engine = await InferenceEngine.open({
      manifestPath: REFERENCE_MODEL,
      workers: 1,
      intraOpThreads: 1,
      maxBatch: 4,
      perCameraQueue: 50,
      scoreFloor: 0.1,
      onResult,
    });
    const t = thresholdsOf(engine.manifest);
    minScore = Object.fromEntries(engine.manifest.classes.map((c, i) => [c, t[i] ?? 0.5]));

    // Four cameras at a time (20 analysed frames/s): what one node is sized for with recording on.
    const timeBases = new Map<number, { startMs: number; loopS: number }>();
    let submitted = 0;
    for (let g = 0; g < clips.length; g += 4) {
      const group = clips.slice(g, g + 4).map((c, k) => ({ c, id: g + k }));
      const sim = await startCameraSimulator({
        streams: group.map(({ c }) => ({ path: c.id, clips: [c.path] })),
      });
      const done = new Set<number>();
      const sups = group.map(({ c, id }) => {
        const sup = new CameraSupervisor(
          supervisorConfig(
            { cameraId: id, url: sim.url(c.id), recordingDir: join(dir, 'rec', String(id)) },
            { frames: { fps: 5, width: engine.manifest.input.width, height: engine.manifest.input.height } },
          ),
        );
        sup.start();
        const base = sim.timeBase(c.id);
        timeBases.set(id, base);
        void (async () => {
          for (;;) {
            const f = await sup.frames.take();
            const loop = Math.floor((f.time - base.startMs) / (base.loopS * 1000));
            if (!loopOf.has(id)) loopOf.set(id, loop + 1);
            const scored = loopOf.get(id) ?? 0;
            // The loop before the scored one only warms the rules up, as on a camera that was already on.
            if (loop < scored - 1) continue;
            if (loop > scored) {
              done.add(id);
              return;
            }
            submitted++;
            engine.submit(f);
          }
        })();
        return sup;
      });
      while (done.size < group.length) await new Promise((r) => setTimeout(r, 500));
      await Promise.all(sups.map((x) => x.stop()));
      await sim.stop();
      // Every frame handed over is answered or dropped before the loop is scored.
      const until = Date.now() + 60_000; // a failed batch answers nothing
      while (returned + engine.stats().dropped < submitted && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const stats = engine.stats();
    await engine.close();

    let tp = 0;
    let fp = 0;
    let fn = 0;
    let distractorEvents = 0;
    const details: Record<string, number | string> = {};
    clips.forEach((c, id) => {
      const list = [...(events.get(id) ?? []), ...analysis.closeCamera(id)];
      const { startMs, loopS } = timeBases.get(id) ?? { startMs: 0, loopS: 0 };
      const origin = startMs + (loopOf.get(id) ?? 0) * loopS * 1000 - c.gt.t0 * 1000;
      const predicted: ScoredEvent[] = [];
      for (const e of list) {
        if (e.phase !== 'closed') continue;
        // Scored: what happened within the scored loop (an event running across its start is cut
        // there). One from the loop before that ends within the rules' close gap (1 s) plus the
        // matching tolerance (1 s) of the loop point is that loop's, closed by the clip jumping
        // back to its first frame.
        const from = Math.max(0, e.startMs - origin);
        const to = Math.min(loopS * 1000, (e.endMs ?? e.startMs) - origin);
        const leftover = e.startMs < origin && to <= 2000;
        if (to >= from && !leftover) predicted.push({ type: e.type, startMs: from, endMs: to });
      }
      const truth = c.gt.events.map((e) => ({ type: e.type, startMs: e.start * 1000, endMs: e.end * 1000 }));
      const s = scoreEvents(predicted, truth);
      tp += s.truePositives;
      fp += s.falsePositives;
      fn += s.falseNegatives;
      if (c.distractorsOnly) distractorEvents += predicted.length;
      const at = (e: ScoredEvent): string =>
        `${e.type} ${(e.startMs / 1000).toFixed(1)}–${(e.endMs / 1000).toFixed(1)} s`;
      const missed = truth.filter((_, i) => !s.matches.includes(i)).map(at);
      const extra = predicted.filter((_, i) => s.matches[i] === null).map(at);
      details[c.id] =
        `${String(s.truePositives)}/${String(truth.length)} found` +
        (missed.length ? `; missed ${missed.join(', ')}` : '') +
        (extra.length ? `; false ${extra.join(', ')}` : '');
      process.stdout.write(`  ${c.id}: ${String(details[c.id])}\n`);
    });
    rmSync(dir, { recursive: true, force: true });
    const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
    Object.assign(details, {
      clips: clips.length,
      precision: Number(precision.toFixed(3)),
      recall: Number(recall.toFixed(3)),
      distractorEvents,
      eventLatencyP50Ms: Math.round(pct(eventLatency, 0.5)),
      eventLatencyP95Ms: Math.round(pct(eventLatency, 0.95)),
      frameLatencyP95Ms: Math.round(pct(frameLatency, 0.95)),
      framesAnalysed: stats.frames,
      framesDropped: stats.dropped,
    });
    process.stdout.write(`  ${JSON.stringify(details)}\n`);
    return {
      metric:
        `event recall on ${String(clips.length)} clips (precision ${precision.toFixed(3)}, ` +
        `${String(distractorEvents)} events on distractor clips, frame-to-event latency p95 ` +
        `${String(details.eventLatencyP95Ms)} ms); RTSP simulator → ffmpeg → model → tracker → rules`,
      value: Number(recall.toFixed(3)),
      unit: 'recall',
      baseline: null,
      target: 'precision ≥ 0.95, recall ≥ 0.95, 0 events on distractor clips, latency p95 ≤ 500 ms',
      details,
    };
  },
};

export default bench;

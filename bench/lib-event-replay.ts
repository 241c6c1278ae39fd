/**
 * Offline event scoring: a clip file decoded by ffmpeg with the pipeline's own letterbox filter at
 * 5 fps, every frame through the inference engine once, then the detections replayed through the
 * tracker and camera event rules as often as wanted (with other thresholds, say), each replay
 * scored against the clip's ground-truth events as `camera-events` scores them.
 */
import { spawn } from 'node:child_process';
import {
  CameraAnalysis,
  InferenceEngine,
  scoreEvents,
  type EventScore,
  type FrameDetections,
  type ScoredEvent,
} from '../inference/index.js';
import { letterboxFilter } from '../ingest/index.js';
import type { CameraEvent } from '../rules/index.js';
import type { Clip } from './lib-event-clips.js';

export const REPLAY_FPS = 5;
/** The engine keeps boxes down to this score: the tracker's second association stage uses them. */
const SCORE_FLOOR = 0.1;

/** Every analysed frame of a clip, detected once by the model of `manifestPath`. */
export async function detectionsOf(clip: Clip, manifestPath: string): Promise<FrameDetections[]> {
  const frames: FrameDetections[] = [];
  const engine = await InferenceEngine.open({
    manifestPath,
    workers: 1,
    intraOpThreads: 1,
    maxBatch: 1,
    perCameraQueue: 1000,
    scoreFloor: SCORE_FLOOR,
    onResult: (r: FrameDetections) => frames.push(r),
  });
  const { width, height } = engine.manifest.input;
  const size = width * height * 3;
  const ff = spawn('ffmpeg', [
    ...['-v', 'error', '-i', clip.path, '-vf', letterboxFilter({ fps: REPLAY_FPS, width, height })],
    ...['-f', 'rawvideo', 'pipe:1'],
  ]);
  let pending = Buffer.alloc(0);
  let seq = 0;
  for await (const chunk of ff.stdout as AsyncIterable<Buffer>) {
    pending = Buffer.concat([pending, chunk]);
    for (; pending.length >= size; pending = pending.subarray(size), seq++) {
      engine.submit({
        cameraId: 1,
        seq,
        time: (seq * 1000) / REPLAY_FPS,
        data: new Uint8Array(pending.subarray(0, size)),
        sourceWidth: clip.gt.width,
        sourceHeight: clip.gt.height,
      });
    }
    // Frames go in as fast as they come; wait for the engine so none is dropped.
    while (engine.stats().frames + engine.stats().dropped < seq) await new Promise((r) => setTimeout(r, 5));
  }
  await engine.close();
  if (engine.stats().dropped > 0) throw new Error(`${clip.id}: the engine dropped frames`);
  return frames.sort((a, b) => a.seq - b.seq);
}

/** The closed events the tracker and rules make of a clip's detections at these class thresholds. */
export function replayEvents(
  clip: Clip,
  frames: readonly FrameDetections[],
  scoreThreshold: Record<string, number>,
): CameraEvent[] {
  const analysis = new CameraAnalysis({
    rulesFor: () => ({ scoreThreshold, loiteringS: 10 }),
    zonesFor: () => clip.zones,
  });
  const events = frames.flatMap((f) => analysis.onDetections(f).events);
  return [...events, ...analysis.closeCamera(1)].filter((e) => e.phase === 'closed');
}

/** Predicted events against the clip's truth (on the clip's clock: its first frame is at t0). */
export function scoreClip(
  clip: Clip,
  found: readonly CameraEvent[],
): { score: EventScore; predicted: ScoredEvent[]; truth: ScoredEvent[] } {
  const predicted = found.map((e) => ({ type: e.type, startMs: e.startMs, endMs: e.endMs ?? e.startMs }));
  const t0 = clip.gt.t0;
  const truth = clip.gt.events.map((e) => ({
    type: e.type,
    startMs: (e.start - t0) * 1000,
    endMs: (e.end - t0) * 1000,
  }));
  return { score: scoreEvents(predicted, truth), predicted, truth };
}

import type { JobOf } from '../../core/index.js';
import type { CameraEvent } from './types.js';

const iso = (ms: number): string => new Date(ms).toISOString();
/** The queue schema's bound on boxes per message. */
const MAX_PAYLOAD_BOXES = 256;

/** A camera event as the `camera-events` queue carries it (frame times as ISO strings). */
export function toCameraEventPayload(e: CameraEvent): JobOf<'camera-events'> {
  return {
    cameraId: e.cameraId,
    type: e.type,
    startedAt: iso(e.startMs),
    ...(e.endMs !== undefined ? { endedAt: iso(e.endMs) } : {}),
    trackIds: [...e.trackIds],
    confidence: Math.min(1, Math.max(0, e.confidence)),
    key: e.key,
    phase: e.phase,
    bestFrame: {
      at: iso(e.bestFrame.timeMs),
      frameSeq: e.bestFrame.frameSeq,
      trackId: e.bestFrame.trackId,
      box: e.bestFrame.box,
      ...(e.bestFrame.frameSize ? { frame: { ...e.bestFrame.frameSize } } : {}),
    },
    boxes: e.boxes
      .slice(-MAX_PAYLOAD_BOXES)
      .map((b) => ({ at: iso(b.timeMs), trackId: b.trackId, box: b.box })),
  };
}

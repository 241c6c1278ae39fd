import type { FailureKind } from './failure.js';

export type CameraState = 'starting' | 'streaming' | 'stalled' | 'backoff' | 'failed' | 'stopped';

/** What the console shows per camera, and what /metrics exports. */
export interface CameraHealth {
  readonly cameraId: number;
  readonly state: CameraState;
  readonly since: number;
  /** Source frames per second (recording side), measured over the last stats interval. */
  readonly fpsIn: number;
  /** Sampled frames per second delivered to the detector queue. */
  readonly fpsOut: number;
  readonly framesOut: number;
  readonly dropped: number;
  readonly reconnects: number;
  readonly sourceResolution: { readonly width: number; readonly height: number } | null;
  readonly lastError: { readonly kind: FailureKind; readonly message: string; readonly at: number } | null;
}

/** A sampled, letterboxed RGB frame. */
export interface Frame {
  readonly cameraId: number;
  /** Monotonic across restarts of this camera's supervisor. */
  readonly seq: number;
  /**
   * Capture time, ms since epoch: the stream clock (frame index / detect fps) anchored at the
   * arrival of the session's first frame on this node. RTCP sender reports are not visible
   * through ffmpeg's raw output, so the camera's own clock is not used.
   */
  readonly time: number;
  readonly width: number;
  readonly height: number;
  readonly data: Buffer;
}

/** One closed recording segment. */
export interface RecordedSegment {
  readonly cameraId: number;
  readonly path: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly bytes: number;
}

export interface RecordingGap {
  readonly cameraId: number;
  readonly startMs: number;
  readonly endMs: number | null;
  readonly cause: string;
}

export type { CameraHealth, CameraState } from '../../core/index.js';

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
  /** Size of the camera picture the frame was letterboxed from (boxes map back to it). */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /**
   * Set when the frame comes from the camera's sub stream: the main stream's size, in whose pixels
   * boxes are reported (image zones are drawn on the main picture).
   */
  readonly view?: { readonly width: number; readonly height: number };
  readonly data: Buffer;
  /**
   * Hand the pixels back for reuse once they have been copied out; the frame must not be read
   * after. A frame never released is simply garbage-collected.
   */
  readonly release?: () => void;
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

/** Box in source-image pixels: top-left corner, width, height (the same shape as core's Box). */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** One detector output after NMS, mapped back to source pixels. */
export interface Detection {
  readonly cls: string;
  readonly score: number;
  readonly box: Box;
}

export type TrackState = 'tentative' | 'confirmed' | 'lost';

/** A track as the tracker reports it after one frame. */
export interface Track {
  readonly id: number;
  /** Class of the detection matched last (classes of one group may alternate, see classGroups). */
  readonly cls: string;
  /** Score of the detection matched last. */
  readonly score: number;
  /** The box of the detection matched this frame; for a lost track, the motion prediction. */
  readonly box: Box;
  /** Frames (update calls) since the track was created, this one included. */
  readonly ageFrames: number;
  /** Frames on which a detection was matched to the track. */
  readonly hits: number;
  readonly state: TrackState;
  /** Filtered velocity of the box centre, source pixels per second. */
  readonly velocity: { readonly vx: number; readonly vy: number };
  /** Index into this frame's detections of the one matched, or null (a lost track). */
  readonly detIndex: number | null;
  /** Frame time the track was created and last matched. */
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

export interface TrackerConfig {
  /** Detections at or above this score take part in the first association. */
  readonly highThresh: number;
  /** Detections in [lowThresh, highThresh) only rescue existing tracks (second association). */
  readonly lowThresh: number;
  /** An unmatched high detection starts a track only at or above this score. */
  readonly newTrackThresh: number;
  /** Least IoU for a match in the first association (high detections, all tracks). */
  readonly matchIouHigh: number;
  /** Least IoU for a match in the second association (low detections, tracks seen last frame). */
  readonly matchIouLow: number;
  /** Least IoU for a tentative track to take one of the detections left over. */
  readonly matchIouTentative: number;
  /** A lost track is kept this many frames, so its id survives a short occlusion. */
  readonly trackBufferFrames: number;
  /** Matched frames before a track is confirmed. */
  readonly minHits: number;
  /** Nominal frame interval the noise levels are tuned for (ByteTrack's are per frame). */
  readonly refDtS: number;
  /**
   * Classes that may follow one another on one track (a truck whose cover is misread for a frame);
   * any other class change is never a match — a truck track must not jump to a person.
   */
  readonly classGroups: readonly (readonly string[])[];
  /**
   * Detections of one class group overlapping by at least this IoU are one object read two ways
   * (class-aware NMS keeps both a covered and an uncovered box on an unsure truck): only the surer
   * takes part, so the other cannot start a second track of the same truck.
   */
  readonly duplicateIou: number;
  /**
   * The detector's operating score per class (the manifest's per-class thresholds). A multi-class
   * detector is calibrated per class: its dust may be sure at 0.3 where a car is at 0.6, so a
   * class's high and new-track bars come down to its own threshold (keeping the gap between them).
   */
  readonly classThresholds: Readonly<Record<string, number>>;
}

/** The high and new-track bars for one class. */
export function classBars(cfg: TrackerConfig, cls: string): { high: number; newTrack: number } {
  const own = cfg.classThresholds[cls];
  if (own === undefined) return { high: cfg.highThresh, newTrack: cfg.newTrackThresh };
  const high = Math.max(cfg.lowThresh, Math.min(cfg.highThresh, own));
  return { high, newTrack: Math.min(cfg.newTrackThresh, high + (cfg.newTrackThresh - cfg.highThresh)) };
}

export const DEFAULT_TRACKER_CONFIG: TrackerConfig = {
  highThresh: 0.5,
  lowThresh: 0.1,
  newTrackThresh: 0.6,
  matchIouHigh: 0.2,
  matchIouLow: 0.5,
  matchIouTentative: 0.3,
  trackBufferFrames: 30,
  minHits: 2,
  refDtS: 0.2,
  classGroups: [['truck_covered', 'truck_uncovered']],
  duplicateIou: 0.6,
  classThresholds: {},
};

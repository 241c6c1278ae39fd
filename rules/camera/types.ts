/**
 * Inputs, settings and outputs of the camera event rules. The track shape is structural — the
 * tracker in inference/ produces it — so rules/ depends on core/ only.
 */
export interface ImageBox {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** The fields of a tracker track these rules read. */
export interface CameraTrack {
  readonly id: number;
  readonly cls: string;
  readonly score: number;
  readonly box: ImageBox;
  /** A lost track carries a predicted box, not a detection: the rules skip it. */
  readonly state: 'tentative' | 'confirmed' | 'lost';
  /** Box-centre velocity, source pixels per second. */
  readonly velocity: { readonly vx: number; readonly vy: number };
}

export type ImageZoneKind = 'no_vending' | 'site_gate' | 'ignore';

/** A polygon drawn on one camera's image, in source pixels. */
export interface ImageZone {
  readonly id: string;
  readonly kind: ImageZoneKind;
  readonly polygon: readonly (readonly [number, number])[];
}

/** Size of the camera picture, in the pixels boxes are given in. */
export interface FrameSize {
  readonly width: number;
  readonly height: number;
}

export interface CameraFrameInput {
  /** Frame time (ms since the epoch): the only clock the rules know. */
  readonly timeMs: number;
  readonly frameSeq: number;
  /** The picture the boxes are in: tells where in the view an event's box sits. */
  readonly frameSize?: FrameSize;
  readonly tracks: readonly CameraTrack[];
  readonly zones: readonly ImageZone[];
}

export interface CameraRulesConfig {
  readonly uncoveredMinS: number;
  readonly dustMinS: number;
  /** A new debris pile must stay this long to be dumping. */
  readonly dumpingStayS: number;
  /** A stall must stand in a no-vending zone this long (the camera's loitering time). */
  readonly loiteringS: number;
  /** Least robust (median) score per class; classes not listed use `defaultScoreThreshold`. */
  readonly scoreThreshold: Readonly<Record<string, number>>;
  readonly defaultScoreThreshold: number;
  /** Window of the median score (and speed) per track: brief misreads do not count. */
  readonly medianWindowS: number;
  /** An event of a moving object closes when it has not been seen for this long (flicker tolerance). */
  readonly closeGapS: number;
  /** The same for stalls and piles, which passers-by hide for longer and which get new track ids. */
  readonly staticGapS: number;
  /** A truck's open load or dust seen again within this long, the truck still in view, is the same event. */
  readonly inViewGapS: number;
  /** Share of an event's minimum time the object must actually be seen (not bridged by the gap tolerance). */
  readonly minCoverage: number;
  /** Piles seen during the first seconds of a camera are background, not dumping. */
  readonly backgroundLearnS: number;
  /** How far back before a pile appeared a truck that stopped next to it is linked to it. */
  readonly truckLookbackS: number;
  /** A truck moves when its median speed reaches this many of its own box widths per second … */
  readonly movingBoxWidthsPerS: number;
  /** … and at least this many pixels per second (small, far-away boxes jitter too). */
  readonly movingMinPxPerS: number;
  readonly truckClasses: readonly string[];
  /** Bounded history of boxes per event: one sample per this interval at most … */
  readonly boxSampleS: number;
  /** … and never more than this many (older samples are thinned). */
  readonly maxBoxes: number;
  /** 'updated' (new tracks joined an open event) is sent at most this often. */
  readonly updateMinGapS: number;
}

export const DEFAULT_CAMERA_RULES: CameraRulesConfig = {
  uncoveredMinS: 1,
  dustMinS: 1,
  dumpingStayS: 10,
  loiteringS: 300,
  scoreThreshold: {},
  defaultScoreThreshold: 0.5,
  medianWindowS: 1,
  closeGapS: 1,
  staticGapS: 30,
  inViewGapS: 5,
  minCoverage: 0.5,
  backgroundLearnS: 5,
  truckLookbackS: 120,
  movingBoxWidthsPerS: 0.15,
  movingMinPxPerS: 10,
  truckClasses: ['truck_covered', 'truck_uncovered'],
  boxSampleS: 0.5,
  maxBoxes: 64,
  updateMinGapS: 2,
};

export type CameraEventType = 'dust' | 'uncovered_load' | 'dumping' | 'street_vending';
export type CameraEventPhase = 'opened' | 'updated' | 'closed';

export interface BoxSample {
  readonly timeMs: number;
  readonly trackId: number;
  readonly box: ImageBox;
}

export interface CameraEvent {
  readonly type: CameraEventType;
  readonly phase: CameraEventPhase;
  readonly cameraId: number;
  /** Stable across the phases of one event: camera, type, start and first track. */
  readonly key: string;
  readonly startMs: number;
  /** Last frame the condition held; set when closed. */
  readonly endMs?: number;
  /** The frame where the event's object scored best: the snapshot to draw the box on. */
  readonly bestFrame: {
    readonly timeMs: number;
    readonly frameSeq: number;
    readonly trackId: number;
    readonly box: ImageBox;
    readonly frameSize?: FrameSize;
  };
  readonly trackIds: readonly number[];
  readonly boxes: readonly BoxSample[];
  readonly confidence: number;
}

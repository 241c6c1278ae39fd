import { iou, linearAssignment } from './assignment.js';
import {
  initKalman,
  kalmanBox,
  kalmanVelocity,
  predictKalman,
  updateKalman,
  type KalmanBox,
} from './kalman.js';
import {
  classBars,
  DEFAULT_TRACKER_CONFIG,
  type Box,
  type Detection,
  type Track,
  type TrackState,
  type TrackerConfig,
} from './types.js';

interface Tracklet {
  readonly id: number;
  cls: string;
  score: number;
  readonly kf: KalmanBox;
  state: TrackState;
  hits: number;
  ageFrames: number;
  /** Frames since the last match (0 = matched this frame). */
  missed: number;
  readonly firstSeenMs: number;
  lastSeenMs: number;
  detIndex: number | null;
  /** The box of the detection matched this frame (null when none was). */
  detBox: Box | null;
}

/**
 * A ByteTrack multi-object tracker for one camera (Zhang et al., 2022): every detection box is
 * associated, the low-score ones too, because an occluded object's score drops before it vanishes.
 *
 * Per frame: predict every track; (1) match high-score detections to confirmed and lost tracks by
 * IoU; (2) match low-score detections to the confirmed tracks still unmatched (a stricter IoU,
 * since these detections are less sure); (3) match tentative tracks to the high detections left;
 * start tracks from the high detections still left; drop lost tracks older than the buffer.
 * Class-consistent: a pair whose classes are not in one group never matches, and of two boxes of
 * one group on one object (a truck read both covered and uncovered) only the surer takes part.
 * No I/O, no clock: time is the frame's. Deterministic: ids count up in detection order.
 */
export class ByteTracker {
  private readonly cfg: TrackerConfig;
  private readonly group = new Map<string, number>();
  private tracks: Tracklet[] = [];
  private nextId = 1;
  private lastMs: number | null = null;

  constructor(config: Partial<TrackerConfig> = {}) {
    this.cfg = { ...DEFAULT_TRACKER_CONFIG, ...config };
    this.cfg.classGroups.forEach((g, i) => {
      for (const c of g) this.group.set(c, i);
    });
  }

  update(detections: readonly Detection[], timeMs: number): Track[] {
    const cfg = this.cfg;
    // A frame older than the last (it should not happen) is taken as simultaneous, not as time going back.
    const dtS = this.lastMs === null ? 0 : Math.max(0, (timeMs - this.lastMs) / 1000);
    this.lastMs = Math.max(this.lastMs ?? timeMs, timeMs);
    for (const t of this.tracks) {
      predictKalman(t.kf, dtS, cfg.refDtS, t.missed > 0);
      t.ageFrames++;
      t.detIndex = null;
      t.detBox = null;
    }
    const high: number[] = [];
    const low: number[] = [];
    const doubles = this.doubleReadings(detections);
    detections.forEach((d, i) => {
      if (doubles.has(i)) return;
      // A degenerate box (NaN from a broken output, zero size) would poison a Kalman state for good.
      const b = d.box;
      if (![b.x, b.y, b.w, b.h, d.score].every(Number.isFinite) || b.w <= 0 || b.h <= 0) return;
      if (d.score >= classBars(cfg, d.cls).high) high.push(i);
      else if (d.score >= cfg.lowThresh) low.push(i);
    });
    const matched = new Set<Tracklet>();

    // (1) high detections against confirmed and lost tracks.
    const pool = this.tracks.filter((t) => t.state !== 'tentative');
    const restHigh = this.associate(pool, high, detections, cfg.matchIouHigh, matched, timeMs);
    // (2) low detections against the confirmed tracks that were seen last frame and are still unmatched.
    const seen = pool.filter((t) => !matched.has(t) && t.state === 'confirmed');
    this.associate(seen, low, detections, cfg.matchIouLow, matched, timeMs);
    // (3) tentative tracks against the high detections left; one that misses is dropped.
    const tentative = this.tracks.filter((t) => t.state === 'tentative');
    const restNew = this.associate(tentative, restHigh, detections, cfg.matchIouTentative, matched, timeMs);

    const kept: Tracklet[] = [];
    for (const t of this.tracks) {
      if (matched.has(t)) {
        t.missed = 0;
        if (t.state === 'lost' || (t.state === 'tentative' && t.hits >= cfg.minHits)) t.state = 'confirmed';
        kept.push(t);
        continue;
      }
      if (t.state === 'tentative') continue;
      t.missed++;
      t.state = 'lost';
      if (t.missed <= cfg.trackBufferFrames) kept.push(t);
    }
    for (const i of restNew) {
      const d = detections[i];
      if (!d || d.score < classBars(cfg, d.cls).newTrack) continue;
      kept.push({
        id: this.nextId++,
        cls: d.cls,
        score: d.score,
        kf: initKalman(d.box, cfg.refDtS),
        state: cfg.minHits <= 1 ? 'confirmed' : 'tentative',
        hits: 1,
        ageFrames: 1,
        missed: 0,
        firstSeenMs: timeMs,
        lastSeenMs: timeMs,
        detIndex: i,
        detBox: d.box,
      });
    }
    this.tracks = kept;
    return kept.map(snapshot);
  }

  /** Tracks as of the last update, without advancing time. */
  current(): Track[] {
    return this.tracks.map(snapshot);
  }

  /** Match `dets` (indexes) to `tracks`; matched tracks are updated. Returns the detections left, in order. */
  private associate(
    tracks: readonly Tracklet[],
    dets: readonly number[],
    all: readonly Detection[],
    minIou: number,
    matched: Set<Tracklet>,
    timeMs: number,
  ): number[] {
    if (tracks.length === 0 || dets.length === 0) return [...dets];
    const boxes: Box[] = tracks.map((t) => kalmanBox(t.kf));
    const cost = tracks.map((t, ti) =>
      dets.map((di) => {
        const d = all[di];
        const b = boxes[ti];
        if (!d || !b || !this.sameGroup(t.cls, d.cls)) return Infinity;
        return 1 - iou(b, d.box);
      }),
    );
    const taken = new Set<number>();
    for (const [ti, dj] of linearAssignment(cost, 1 - minIou)) {
      const t = tracks[ti];
      const di = dets[dj];
      const d = di === undefined ? undefined : all[di];
      if (!t || di === undefined || !d) continue;
      updateKalman(t.kf, d.box);
      t.cls = d.cls;
      t.score = d.score;
      t.hits++;
      t.lastSeenMs = timeMs;
      t.detIndex = di;
      t.detBox = d.box;
      matched.add(t);
      taken.add(dj);
    }
    return dets.filter((_, j) => !taken.has(j));
  }

  /** Indexes of detections that are a less sure reading, as another class of their group, of an object. */
  private doubleReadings(dets: readonly Detection[]): Set<number> {
    const out = new Set<number>();
    dets.forEach((d, i) => {
      if (!this.group.has(d.cls)) return;
      const surer = dets.some(
        (o, j) =>
          j !== i &&
          o.cls !== d.cls &&
          this.sameGroup(o.cls, d.cls) &&
          (o.score > d.score || (o.score === d.score && j < i)) &&
          iou(o.box, d.box) >= this.cfg.duplicateIou,
      );
      if (surer) out.add(i);
    });
    return out;
  }

  private sameGroup(a: string, b: string): boolean {
    if (a === b) return true;
    const ga = this.group.get(a);
    return ga !== undefined && ga === this.group.get(b);
  }
}

function snapshot(t: Tracklet): Track {
  return {
    id: t.id,
    cls: t.cls,
    score: t.score,
    // The matched detection's own box: the filter's lags when a box changes shape fast (a truck
    // entering at the frame edge grows from a sliver to full length in a second), and the rules
    // measure gaps between boxes. The filter still drives association and covers lost frames.
    box: t.detBox ?? kalmanBox(t.kf),
    ageFrames: t.ageFrames,
    hits: t.hits,
    state: t.state,
    velocity: kalmanVelocity(t.kf),
    detIndex: t.detIndex,
    firstSeenMs: t.firstSeenMs,
    lastSeenMs: t.lastSeenMs,
  };
}

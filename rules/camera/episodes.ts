import { iou } from './geometry.js';
import type {
  BoxSample,
  CameraEvent,
  CameraEventPhase,
  CameraEventType,
  CameraRulesConfig,
  FrameSize,
  ImageBox,
} from './types.js';

/** A rule's finding on one frame: the condition holds for this object now. */
export interface Hit {
  readonly type: CameraEventType;
  /** The track the event follows (a dust event follows its truck). */
  readonly anchorId: number;
  readonly trackIds: readonly number[];
  readonly box: ImageBox;
  /** Robust (median) score of the object this frame: what decides the condition. */
  readonly score: number;
  /** This frame's own detection score: the best frame (the snapshot) is the one where it peaks. */
  readonly frameScore: number;
  /** Event confidence this frame (defaults to the score). */
  readonly confidence?: number;
  /** A static object (stall, pile): a new track on the same spot continues the event. */
  readonly sticky: boolean;
  /** How long the condition must hold before the event opens. */
  readonly minMs: number;
}

export interface Episode {
  readonly type: CameraEventType;
  anchorId: number;
  key: string;
  trackIds: number[];
  firstMs: number;
  lastMs: number;
  /** Time covered by sightings no more than the close gap apart (isolated blips add nothing). */
  seenMs: number;
  open: boolean;
  lastBox: ImageBox;
  best: {
    timeMs: number;
    frameSeq: number;
    trackId: number;
    box: ImageBox;
    score: number;
    frameSize: FrameSize | undefined;
  };
  boxes: BoxSample[];
  sampleEveryMs: number;
  confidence: number;
  /** Time of the last opened/updated sent, and whether tracks joined since. */
  lastSentMs: number;
  changed: boolean;
  readonly sticky: boolean;
  /** From the latest hit, so edited settings apply to a pending event. */
  minMs: number;
}

/**
 * The lifecycle every camera event shares: pending while the condition has held for less than
 * its minimum; opened once; updated when other tracks join (rate-limited); closed once it has not
 * held for the gap tolerance — so a detection missing for a frame or two neither closes nor
 * re-raises an event. Events are sent on the frame that decides them, never repeated.
 */
export function stepEpisodes(
  episodes: Episode[],
  hits: readonly Hit[],
  frame: { timeMs: number; frameSeq: number; frameSize?: FrameSize },
  cameraId: number,
  cfg: CameraRulesConfig,
  /** Ids of the tracks seen this frame: an event that follows one of them may bridge a longer gap. */
  inView: ReadonlySet<number>,
): { episodes: Episode[]; events: CameraEvent[] } {
  const t = frame.timeMs;
  const events: CameraEvent[] = [];
  const touched = new Set<Episode>();
  const gapMs = (e: Episode): number => gapMsOf(e, cfg, inView);
  for (const h of hits) {
    let ep = findEpisode(episodes, h, t, gapMs, touched);
    if (!ep) {
      ep = newEpisode(h, frame, cameraId, cfg);
      episodes.push(ep);
    }
    if (!touched.has(ep)) {
      const since = t - ep.lastMs;
      if (since <= cfg.closeGapS * 1000) ep.seenMs += since;
      else if (!ep.open && ep.seenMs < cfg.minCoverage * (t - ep.firstMs)) {
        // Back after a long gap without having been seen for most of the time: start afresh.
        const fresh = newEpisode(h, frame, cameraId, cfg);
        episodes[episodes.indexOf(ep)] = fresh;
        ep = fresh;
      }
    }
    touched.add(ep);
    absorb(ep, h, frame, cfg);
    // Held long enough, and actually seen for most of it: a detection flickering on for a frame
    // now and then (bridged by a static object's long gap tolerance) is not a standing object.
    const held = t - ep.firstMs;
    if (!ep.open && held >= ep.minMs && ep.seenMs >= cfg.minCoverage * held) {
      ep.open = true;
      ep.lastSentMs = t;
      ep.changed = false;
      ep.key = `${cameraId}:${ep.type}:${ep.firstMs}:${ep.trackIds[0] ?? ep.anchorId}`;
      events.push(toEvent(ep, 'opened', cameraId));
    } else if (ep.open && ep.changed && t - ep.lastSentMs >= cfg.updateMinGapS * 1000) {
      ep.lastSentMs = t;
      ep.changed = false;
      events.push(toEvent(ep, 'updated', cameraId));
    }
  }
  const kept: Episode[] = [];
  for (const ep of episodes) {
    if (touched.has(ep) || t - ep.lastMs <= gapMs(ep)) {
      kept.push(ep);
      continue;
    }
    if (ep.open) events.push(toEvent(ep, 'closed', cameraId));
  }
  return { episodes: kept, events };
}

/**
 * How long an episode outlives its last sighting. An open load, or dust, is the truck's, not the
 * frame's: while the truck the event follows is still in view, a load that reads open again (after
 * tipping, or a stretch read as covered) or dust that rises again (the truck stopped, then tips)
 * continues its event rather than raising a second one for the same truck.
 */
function gapMsOf(e: Episode, cfg: CameraRulesConfig, inView: ReadonlySet<number>): number {
  if (e.sticky) return cfg.staticGapS * 1000;
  if (e.open && (e.type === 'uncovered_load' || e.type === 'dust') && inView.has(e.anchorId)) {
    return Math.max(cfg.closeGapS, cfg.inViewGapS) * 1000;
  }
  return cfg.closeGapS * 1000;
}

/**
 * The live episode a hit continues: the one following the same anchor; else the one that already
 * holds the hit's object (dust whose truck left continues as site-gate dust); else, for a static
 * object, one on the same spot (a stall or pile re-identified after an occlusion).
 */
function findEpisode(
  episodes: readonly Episode[],
  h: Hit,
  t: number,
  gapMs: (e: Episode) => number,
  touched: ReadonlySet<Episode>,
): Episode | undefined {
  const live = episodes.filter((e) => e.type === h.type && t - e.lastMs <= gapMs(e));
  const same = live.find((e) => e.anchorId === h.anchorId);
  if (same) return same;
  const object = h.trackIds[0];
  const continued =
    live.find((e) => !touched.has(e) && object !== undefined && e.trackIds.includes(object)) ??
    (h.sticky ? live.find((e) => e.sticky && !touched.has(e) && iou(e.lastBox, h.box) >= 0.3) : undefined);
  if (continued) continued.anchorId = h.anchorId;
  return continued;
}

/** Close every open event now (the camera stopped or moved to another node). */
export function closeEpisodes(episodes: readonly Episode[], cameraId: number): CameraEvent[] {
  return episodes.filter((e) => e.open).map((e) => toEvent(e, 'closed', cameraId));
}

function newEpisode(
  h: Hit,
  frame: { timeMs: number; frameSeq: number; frameSize?: FrameSize },
  cameraId: number,
  cfg: CameraRulesConfig,
): Episode {
  return {
    type: h.type,
    anchorId: h.anchorId,
    key: `${cameraId}:${h.type}:${frame.timeMs}:${h.anchorId}`,
    trackIds: [],
    firstMs: frame.timeMs,
    lastMs: frame.timeMs,
    seenMs: 0,
    open: false,
    lastBox: h.box,
    best: {
      timeMs: frame.timeMs,
      frameSeq: frame.frameSeq,
      trackId: h.anchorId,
      box: h.box,
      score: -1,
      frameSize: frame.frameSize,
    },
    boxes: [],
    sampleEveryMs: cfg.boxSampleS * 1000,
    confidence: 0,
    lastSentMs: frame.timeMs,
    changed: false,
    sticky: h.sticky,
    minMs: h.minMs,
  };
}

function absorb(
  ep: Episode,
  h: Hit,
  frame: { timeMs: number; frameSeq: number; frameSize?: FrameSize },
  cfg: CameraRulesConfig,
): void {
  const t = frame.timeMs;
  ep.lastMs = t;
  ep.lastBox = h.box;
  ep.minMs = h.minMs;
  for (const id of h.trackIds) {
    if (ep.trackIds.includes(id)) continue;
    ep.trackIds.push(id);
    ep.changed = true;
  }
  ep.confidence = Math.min(1, Math.max(ep.confidence, h.confidence ?? h.score));
  const primary = h.trackIds[0] ?? h.anchorId;
  if (h.frameScore > ep.best.score) {
    ep.best = {
      timeMs: t,
      frameSeq: frame.frameSeq,
      trackId: primary,
      box: h.box,
      score: h.frameScore,
      frameSize: frame.frameSize,
    };
  }
  const last = ep.boxes[ep.boxes.length - 1];
  if (!last || t - last.timeMs >= ep.sampleEveryMs) {
    ep.boxes.push({ timeMs: t, trackId: primary, box: h.box });
    // Bounded: when full, keep every other sample and sample half as often from now on.
    if (ep.boxes.length > cfg.maxBoxes) {
      ep.boxes = ep.boxes.filter((_, i) => i % 2 === 0);
      ep.sampleEveryMs *= 2;
    }
  }
}

function toEvent(ep: Episode, phase: CameraEventPhase, cameraId: number): CameraEvent {
  const { timeMs, frameSeq, trackId, box, frameSize } = ep.best;
  return {
    type: ep.type,
    phase,
    cameraId,
    key: ep.key,
    startMs: ep.firstMs,
    ...(phase === 'closed' ? { endMs: ep.lastMs } : {}),
    bestFrame: { timeMs, frameSeq, trackId, box, ...(frameSize ? { frameSize } : {}) },
    trackIds: [...ep.trackIds],
    boxes: [...ep.boxes],
    confidence: Math.round(ep.confidence * 1000) / 1000,
  };
}

import { gap, iou } from './geometry.js';
import type { Hit } from './episodes.js';
import { isMoving, isTruck, threshold } from './hits.js';
import { medianScore, type TrackMemory } from './memory.js';
import type { CameraRulesConfig, CameraTrack, ImageBox } from './types.js';

/** A stopped truck seen on a frame (kept for the look-back window). */
interface StoppedTruck {
  readonly t: number;
  readonly id: number;
  readonly box: ImageBox;
}

interface NewPile {
  readonly firstMs: number;
  trucks: number[];
}

export interface DumpingState {
  /** Time of the camera's first frame: the background is learnt from there. */
  startMs: number | null;
  /** Piles that were there when the camera started (or merge with one): never dumping. */
  background: ImageBox[];
  /** Pile tracks judged background or new, so each is judged once, on first sight. */
  backgroundTracks: Set<number>;
  newPiles: Map<number, NewPile>;
  stopped: StoppedTruck[];
  /** When each truck was last put in `stopped`. */
  lastLogged: Map<number, number>;
}

export function newDumpingState(): DumpingState {
  return {
    startMs: null,
    background: [],
    backgroundTracks: new Set(),
    newPiles: new Map(),
    stopped: [],
    lastLogged: new Map(),
  };
}

const MAX_STOPPED = 2000;
const SAME_PLACE_IOU = 0.3;

function onBackground(state: DumpingState, box: ImageBox): boolean {
  return state.background.some((b) => iou(b, box) >= SAME_PLACE_IOU);
}

/**
 * dumping: a debris pile that appears where none was — piles present in the camera's first
 * `backgroundLearnS` are background — and stays `dumpingStayS`, with the trucks that stood next to
 * it from `truckLookbackS` before it appeared until it had stayed long enough.
 */
export function dumpingHits(
  state: DumpingState,
  cfg: CameraRulesConfig,
  mem: TrackMemory,
  tracks: readonly CameraTrack[],
  timeMs: number,
): Hit[] {
  state.startMs ??= timeMs;
  const learning = timeMs - state.startMs < cfg.backgroundLearnS * 1000;
  for (const t of tracks) {
    if (!isTruck(cfg, t) || isMoving(cfg, mem, t)) continue;
    // One entry per truck per second is plenty to place it, and keeps a parked truck from filling the log.
    const last = state.lastLogged.get(t.id);
    if (last !== undefined && timeMs - last < 1000) continue;
    state.lastLogged.set(t.id, timeMs);
    state.stopped.push({ t: timeMs, id: t.id, box: t.box });
  }
  const horizon = timeMs - cfg.truckLookbackS * 1000;
  let drop = 0;
  const n = state.stopped.length;
  while (drop < n && ((state.stopped[drop]?.t ?? 0) < horizon || n - drop > MAX_STOPPED)) drop++;
  if (drop > 0) state.stopped.splice(0, drop);
  for (const [id, t] of state.lastLogged) if (t < horizon) state.lastLogged.delete(id);
  const out: Hit[] = [];
  const seen = new Set<number>();
  for (const p of tracks) {
    if (p.cls !== 'debris_pile') continue;
    seen.add(p.id);
    if (learning) {
      if (!onBackground(state, p.box)) state.background.push(p.box);
      state.backgroundTracks.add(p.id);
      continue;
    }
    if (state.backgroundTracks.has(p.id)) continue;
    let pile = state.newPiles.get(p.id);
    if (!pile) {
      if (onBackground(state, p.box)) {
        state.backgroundTracks.add(p.id);
        continue;
      }
      pile = { firstMs: timeMs, trucks: [] };
      state.newPiles.set(p.id, pile);
    }
    const score = medianScore(mem, p.id, 'debris_pile');
    linkTrucks(state, pile, p.box, cfg);
    if (score < threshold(cfg, 'debris_pile')) continue;
    out.push({
      type: 'dumping',
      anchorId: p.id,
      trackIds: [p.id, ...pile.trucks],
      box: p.box,
      score,
      frameScore: p.score,
      // A pile nobody was seen leaving is less sure to be dumping than one a truck stood next to.
      confidence: pile.trucks.length > 0 ? score : 0.85 * score,
      sticky: true,
      minMs: cfg.dumpingStayS * 1000,
    });
  }
  // Forget judgements about pile tracks gone for longer than the look-back (bounded state).
  for (const id of state.backgroundTracks)
    if (!seen.has(id) && !mem.has(id)) state.backgroundTracks.delete(id);
  for (const [id, pile] of state.newPiles) {
    if (
      !seen.has(id) &&
      timeMs - pile.firstMs > (cfg.truckLookbackS + cfg.staticGapS) * 1000 &&
      !mem.has(id)
    ) {
      state.newPiles.delete(id);
    }
  }
  return out;
}

/** Trucks that stood next to the pile between the look-back before it appeared and its minimum stay. */
function linkTrucks(state: DumpingState, pile: NewPile, box: ImageBox, cfg: CameraRulesConfig): void {
  const from = pile.firstMs - cfg.truckLookbackS * 1000;
  const to = pile.firstMs + cfg.dumpingStayS * 1000;
  for (const s of state.stopped) {
    if (s.t < from || s.t > to || pile.trucks.includes(s.id)) continue;
    if (gap(s.box, box) <= 0.5 * Math.max(s.box.w, s.box.h)) pile.trucks.push(s.id);
  }
}

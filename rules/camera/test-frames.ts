/** Helpers for the camera rule tests: tracks and frame streams written out explicitly. */
import { newCameraRulesState, stepCameraRules } from './step.js';
import type { CameraEvent, CameraRulesConfig, CameraTrack, ImageBox, ImageZone } from './types.js';

/** 2026-11-27 08:00:00 UTC: frame times are epoch milliseconds, as the pipeline sends them. */
export const T0 = Date.UTC(2026, 10, 27, 8, 0, 0);

export function box(x: number, y: number, w: number, h: number): ImageBox {
  return { x, y, w, h };
}

export function track(
  id: number,
  cls: string,
  b: ImageBox,
  opts: { score?: number; vx?: number; vy?: number; state?: CameraTrack['state'] } = {},
): CameraTrack {
  return {
    id,
    cls,
    score: opts.score ?? 0.8,
    box: b,
    state: opts.state ?? 'confirmed',
    velocity: { vx: opts.vx ?? 0, vy: opts.vy ?? 0 },
  };
}

/** A compact view of an event for exact expectations: phase, type, times relative to T0, tracks. */
export interface Brief {
  phase: CameraEvent['phase'];
  type: CameraEvent['type'];
  atMs: number;
  startMs: number;
  endMs?: number;
  trackIds: readonly number[];
}

/**
 * Runs `frames` frames, `dtMs` apart from T0, through a fresh camera state; `tracksAt(i, tMs)`
 * gives frame i's tracks (tMs relative to T0). Returns the events in brief and in full.
 */
export function run(
  frames: number,
  dtMs: number,
  tracksAt: (i: number, tMs: number) => CameraTrack[],
  zones: readonly ImageZone[] = [],
  config: Partial<CameraRulesConfig> = {},
): { briefs: Brief[]; events: CameraEvent[] } {
  const state = newCameraRulesState(7, config);
  const briefs: Brief[] = [];
  const events: CameraEvent[] = [];
  for (let i = 0; i < frames; i++) {
    const tMs = i * dtMs;
    const r = stepCameraRules(state, { timeMs: T0 + tMs, frameSeq: i, tracks: tracksAt(i, tMs), zones });
    for (const e of r.events) {
      events.push(e);
      briefs.push({
        phase: e.phase,
        type: e.type,
        atMs: tMs,
        startMs: e.startMs - T0,
        ...(e.endMs !== undefined ? { endMs: e.endMs - T0 } : {}),
        trackIds: e.trackIds,
      });
    }
  }
  return { briefs, events };
}

export const square = (x0: number, y0: number, x1: number, y1: number): ImageZone['polygon'] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];

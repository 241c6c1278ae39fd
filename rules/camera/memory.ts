import type { CameraTrack } from './types.js';

/** One sighting of a track: its class and score then, and its speed (px/s). */
interface Sample {
  readonly t: number;
  readonly cls: string;
  readonly score: number;
  readonly speed: number;
}

/**
 * Recent sightings per track, so a rule judges a track by its median over a short window: one or
 * two misread frames (a covered truck read as uncovered, a score dip) neither open nor break an
 * event. Lost tracks add nothing — a predicted box is not evidence.
 */
export type TrackMemory = Map<number, Sample[]>;

export function remember(
  mem: TrackMemory,
  tracks: readonly CameraTrack[],
  timeMs: number,
  windowMs: number,
): void {
  for (const tr of tracks) {
    let s = mem.get(tr.id);
    if (!s) {
      s = [];
      mem.set(tr.id, s);
    }
    s.push({ t: timeMs, cls: tr.cls, score: tr.score, speed: Math.hypot(tr.velocity.vx, tr.velocity.vy) });
  }
  for (const [id, s] of mem) {
    while (s.length > 0 && (s[0]?.t ?? 0) <= timeMs - windowMs) s.shift();
    if (s.length === 0) mem.delete(id);
  }
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  const hi = values[mid] ?? 0;
  return values.length % 2 === 1 ? hi : ((values[mid - 1] ?? 0) + hi) / 2;
}

/** Median score of `cls` over the window; a sighting as another class counts as 0 for it. */
export function medianScore(mem: TrackMemory, id: number, cls: string): number {
  return median((mem.get(id) ?? []).map((s) => (s.cls === cls ? s.score : 0)));
}

export function medianSpeed(mem: TrackMemory, id: number): number {
  return median((mem.get(id) ?? []).map((s) => s.speed));
}

import { roundCoord } from './geo.js';
import { iso } from './incidents.js';
import type { Fix } from './world.js';

/** Recent fixes of one vehicle, oldest first (for linking and explanations). */
export interface History {
  fixes: Fix[];
}

export function pushHistory(h: History, fix: Fix, keepS: number): void {
  h.fixes.push(fix);
  // Trim in bulk now and then: shifting one element per fix would be O(n) every time.
  const first = h.fixes[0];
  if (first && fix.t - first.t > keepS * 1000 * 1.5) {
    const cutoff = fix.t - keepS * 1000;
    const i = h.fixes.findIndex((f) => f.t >= cutoff);
    h.fixes.splice(0, i < 0 ? h.fixes.length : i);
  }
}

/** Index of the last fix at or before t (−1 when none). */
export function lastAtOrBefore(fixes: readonly Fix[], t: number): number {
  let lo = 0;
  let hi = fixes.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((fixes[mid] as Fix).t <= t) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

export type ExcerptPoint = readonly [string, number, number, number | null];

/** The fixes in [from, to], thinned evenly to at most `max` (first and last kept), as [time, lon, lat, km/h]. */
export function excerpt(fixes: readonly Fix[], from: number, to: number, max = 40): ExcerptPoint[] {
  const inRange = fixes.filter((f) => f.t >= from && f.t <= to);
  let picked = inRange;
  if (inRange.length > max) {
    picked = [];
    for (let i = 0; i < max; i++)
      picked.push(inRange[Math.round((i * (inRange.length - 1)) / (max - 1))] as Fix);
  }
  return picked.map((f) => [iso(f.t), roundCoord(f.lon), roundCoord(f.lat), f.speedKmh]);
}

import { center, gap, inZone } from './geometry.js';
import type { Hit } from './episodes.js';
import { medianScore, medianSpeed, type TrackMemory } from './memory.js';
import type { CameraRulesConfig, CameraTrack, ImageZone } from './types.js';

export function threshold(cfg: CameraRulesConfig, cls: string): number {
  return cfg.scoreThreshold[cls] ?? cfg.defaultScoreThreshold;
}

export function isTruck(cfg: CameraRulesConfig, t: CameraTrack): boolean {
  return cfg.truckClasses.includes(t.cls);
}

/** Moving by its median speed, relative to its size: a parked truck's box jitters a few pixels. */
export function isMoving(cfg: CameraRulesConfig, mem: TrackMemory, t: CameraTrack): boolean {
  return medianSpeed(mem, t.id) >= Math.max(cfg.movingMinPxPerS, cfg.movingBoxWidthsPerS * t.box.w);
}

/** uncovered_load: a truck whose median truck_uncovered score over the window clears the bar. */
export function uncoveredHits(
  cfg: CameraRulesConfig,
  mem: TrackMemory,
  tracks: readonly CameraTrack[],
): Hit[] {
  const out: Hit[] = [];
  for (const t of tracks) {
    if (!isTruck(cfg, t)) continue;
    const score = medianScore(mem, t.id, 'truck_uncovered');
    if (score < threshold(cfg, 'truck_uncovered')) continue;
    out.push({
      type: 'uncovered_load',
      anchorId: t.id,
      trackIds: [t.id],
      box: t.box,
      score,
      frameScore: t.cls === 'truck_uncovered' ? t.score : 0,
      sticky: false,
      minMs: cfg.uncoveredMinS * 1000,
    });
  }
  return out;
}

/**
 * How well a dust box sits on a truck, or null when it does not: touching or near its box (within
 * half its larger side) and at the same depth — its bottom edge, where it meets the ground, within
 * 35 % of the truck's height of the truck's — so a truck passing in the far lane, which overlaps
 * the dust in the image, is not taken for its source. Smaller is better.
 */
function attachment(dust: CameraTrack, truck: CameraTrack): number | null {
  const g = gap(dust.box, truck.box);
  if (g > 0.5 * Math.max(truck.box.w, truck.box.h)) return null;
  const depth = Math.abs(dust.box.y + dust.box.h - (truck.box.y + truck.box.h));
  if (depth > 0.35 * truck.box.h) return null;
  return g + depth;
}

/** Not ahead of the truck: the dust centre lies behind the truck's front half along its direction of travel. */
function trailing(dust: CameraTrack, truck: CameraTrack): boolean {
  const speed = Math.hypot(truck.velocity.vx, truck.velocity.vy);
  if (speed === 0) return false;
  const ux = truck.velocity.vx / speed;
  const uy = truck.velocity.vy / speed;
  const [dx, dy] = center(dust.box);
  const [tx, ty] = center(truck.box);
  const along = (dx - tx) * ux + (dy - ty) * uy;
  const halfExtent = (Math.abs(ux) * truck.box.w + Math.abs(uy) * truck.box.h) / 2;
  return along <= 0.5 * halfExtent;
}

/**
 * dust: a dust region attached to a moving truck (the event follows the truck, so a dust cloud
 * that the detector re-identifies stays one event), or one inside a site-gate zone.
 */
export function dustHits(
  cfg: CameraRulesConfig,
  mem: TrackMemory,
  tracks: readonly CameraTrack[],
  zones: readonly ImageZone[],
): Hit[] {
  const byTruck = new Map<number, { truck: CameraTrack; dust: CameraTrack[]; score: number }>();
  const out: Hit[] = [];
  const minMs = cfg.dustMinS * 1000;
  const trucks = tracks.filter((t) => isTruck(cfg, t));
  for (const d of tracks) {
    if (d.cls !== 'dust') continue;
    const score = medianScore(mem, d.id, 'dust');
    if (score < threshold(cfg, 'dust')) continue;
    // The truck it sits on best — moving or not: dust at a parked truck is not the passing truck's.
    let best: CameraTrack | undefined;
    let bestFit = Infinity;
    for (const tr of trucks) {
      const fit = attachment(d, tr);
      if (fit !== null && fit < bestFit) {
        best = tr;
        bestFit = fit;
      }
    }
    if (best && isMoving(cfg, mem, best) && trailing(d, best)) {
      const entry = byTruck.get(best.id) ?? { truck: best, dust: [], score: 0 };
      entry.dust.push(d);
      entry.score = Math.max(entry.score, score);
      byTruck.set(best.id, entry);
    } else if (inZone(d.box, zones, 'site_gate')) {
      out.push({
        type: 'dust',
        anchorId: d.id,
        trackIds: [d.id],
        box: d.box,
        score,
        frameScore: d.score,
        sticky: true,
        minMs,
      });
    }
  }
  for (const { truck, dust, score } of byTruck.values()) {
    const main = dust.reduce((a, b) => (b.box.w * b.box.h > a.box.w * a.box.h ? b : a));
    out.push({
      type: 'dust',
      anchorId: truck.id,
      trackIds: [...dust.map((d) => d.id), truck.id],
      box: main.box,
      score,
      frameScore: main.score,
      sticky: false,
      minMs,
    });
  }
  return out;
}

/** street_vending: a stall standing in a no-vending zone; it opens after the loitering time. */
export function vendingHits(
  cfg: CameraRulesConfig,
  mem: TrackMemory,
  tracks: readonly CameraTrack[],
  zones: readonly ImageZone[],
): Hit[] {
  const out: Hit[] = [];
  for (const t of tracks) {
    if (t.cls !== 'vending_stall') continue;
    const score = medianScore(mem, t.id, 'vending_stall');
    if (score < threshold(cfg, 'vending_stall') || !inZone(t.box, zones, 'no_vending')) continue;
    out.push({
      type: 'street_vending',
      anchorId: t.id,
      trackIds: [t.id],
      box: t.box,
      score,
      frameScore: t.score,
      sticky: true,
      minMs: cfg.loiteringS * 1000,
    });
  }
  return out;
}

import type { ZoneKind } from '../core/index.js';
import {
  bboxOf,
  boundaryDistanceM,
  expandBBox,
  inBBox,
  inPolygon,
  pointLineM,
  type BBox,
  type LonLat,
  type Polygon,
} from './geo.js';
import { isWithin, type Schedule } from './schedule.js';

export interface Zone {
  readonly id: number;
  readonly code: string;
  readonly kind: ZoneKind;
  readonly name: string;
  readonly parentCode: string | null;
  /** Areas (every kind but approved_route). */
  readonly polygons: readonly Polygon[];
  /** approved_route: the centre line of the corridor … */
  readonly line: readonly LonLat[] | null;
  /** … and its full width in metres. */
  readonly widthM: number | null;
  /** When the zone applies; null = always. */
  readonly schedule: Schedule | null;
  readonly properties: Readonly<Record<string, unknown>>;
}

interface Entry {
  readonly zone: Zone;
  readonly bbox: BBox;
}

/** Grid cell size in degrees (~1.1 km north–south): a few zones per cell at city scale. */
const CELL_DEG = 0.01;
/** Zones covering more cells than this (a whole city) are tested directly instead of gridded. */
const MAX_CELLS = 4096;

const cellKey = (cx: number, cy: number): number => cx * 100_003 + cy;

/**
 * An immutable in-memory spatial index over zones: a uniform grid of bounding boxes with an exact
 * point-in-polygon (or distance-to-corridor) test behind it.
 */
export class ZoneIndex {
  readonly zones: readonly Zone[];
  private readonly cells = new Map<number, Entry[]>();
  private readonly large: Entry[] = [];
  private readonly byId = new Map<number, Zone>();
  private readonly byCode = new Map<string, Zone>();

  constructor(zones: readonly Zone[]) {
    this.zones = [...zones].sort((a, b) => a.id - b.id);
    for (const zone of this.zones) {
      this.byId.set(zone.id, zone);
      this.byCode.set(zone.code, zone);
      const entry: Entry = { zone, bbox: zoneBBox(zone) };
      const x0 = Math.floor(entry.bbox.minLon / CELL_DEG);
      const x1 = Math.floor(entry.bbox.maxLon / CELL_DEG);
      const y0 = Math.floor(entry.bbox.minLat / CELL_DEG);
      const y1 = Math.floor(entry.bbox.maxLat / CELL_DEG);
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_CELLS) {
        this.large.push(entry);
        continue;
      }
      for (let cx = x0; cx <= x1; cx++) {
        for (let cy = y0; cy <= y1; cy++) {
          const k = cellKey(cx, cy);
          const list = this.cells.get(k);
          if (list) list.push(entry);
          else this.cells.set(k, [entry]);
        }
      }
    }
  }

  byZoneId(id: number): Zone | undefined {
    return this.byId.get(id);
  }

  byZoneCode(code: string): Zone | undefined {
    return this.byCode.get(code);
  }

  /** Zones containing the point and active at `tMs` (schedule), in id order. */
  at(lon: number, lat: number, tMs: number): Zone[] {
    const out: Zone[] = [];
    const test = (e: Entry): void => {
      if (!inBBox(lon, lat, e.bbox)) return;
      if (e.zone.schedule && !isWithin(e.zone.schedule, tMs)) return;
      if (contains(e.zone, lon, lat)) out.push(e.zone);
    };
    for (const e of this.large) test(e);
    const cell = this.cells.get(cellKey(Math.floor(lon / CELL_DEG), Math.floor(lat / CELL_DEG)));
    if (cell) for (const e of cell) test(e);
    if (this.large.length > 0 && cell) out.sort((a, b) => a.id - b.id);
    return out;
  }
}

function zoneBBox(zone: Zone): BBox {
  if (zone.line) return expandBBox(bboxOf(zone.line), (zone.widthM ?? 0) / 2);
  return bboxOf(zone.polygons.flatMap((p) => p[0] ?? []));
}

/** Inside an area, or within half the width of a corridor's centre line. */
export function contains(zone: Zone, lon: number, lat: number): boolean {
  if (zone.line) return pointLineM(lon, lat, zone.line) <= (zone.widthM ?? 0) / 2;
  for (const p of zone.polygons) if (inPolygon(lon, lat, p)) return true;
  return false;
}

/** Metres outside a corridor (0 when inside it). */
export function corridorExcessM(zone: Zone, lon: number, lat: number): number {
  if (!zone.line) return 0;
  return Math.max(0, pointLineM(lon, lat, zone.line) - (zone.widthM ?? 0) / 2);
}

/** Distance from the point to the zone's edge (metres), for "on the boundary line" decisions. */
export function edgeDistanceM(zone: Zone, lon: number, lat: number): number {
  if (zone.line) return Math.abs(pointLineM(lon, lat, zone.line) - (zone.widthM ?? 0) / 2);
  return boundaryDistanceM(lon, lat, zone.polygons);
}

/**
 * Plane geometry on a local equirectangular projection: at city scale (tens of km) its error is
 * far below GPS error, and it is an order of magnitude cheaper than geodesics on the hot path.
 */
export type LonLat = readonly [number, number];
/** A ring is closed implicitly (first point need not repeat); a polygon is an outer ring + holes. */
export type Ring = readonly LonLat[];
export type Polygon = readonly Ring[];

export interface BBox {
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
}

const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LON_EQ = 111_320;

export function metersPerDegLon(lat: number): number {
  return M_PER_DEG_LON_EQ * Math.cos((lat * Math.PI) / 180);
}

/** Distance in metres between two points (local projection at their mean latitude). */
export function distanceM(aLon: number, aLat: number, bLon: number, bLat: number): number {
  const kx = metersPerDegLon((aLat + bLat) / 2);
  const dx = (bLon - aLon) * kx;
  const dy = (bLat - aLat) * M_PER_DEG_LAT;
  return Math.sqrt(dx * dx + dy * dy);
}

/** Initial bearing a→b in degrees [0, 360), north = 0, clockwise. */
export function bearingDeg(aLon: number, aLat: number, bLon: number, bLat: number): number {
  const dx = (bLon - aLon) * metersPerDegLon((aLat + bLat) / 2);
  const dy = (bLat - aLat) * M_PER_DEG_LAT;
  const deg = (Math.atan2(dx, dy) * 180) / Math.PI;
  return deg < 0 ? deg + 360 : deg;
}

/** Smallest angle between two headings, ignoring direction (a road runs both ways): [0, 90]. */
export function axisAngleDiff(a: number, b: number): number {
  const d = Math.abs((((a - b) % 180) + 180) % 180);
  return d > 90 ? 180 - d : d;
}

/** Distance in metres from p to the segment a–b. */
export function pointSegmentM(
  pLon: number,
  pLat: number,
  aLon: number,
  aLat: number,
  bLon: number,
  bLat: number,
): number {
  const kx = metersPerDegLon(pLat);
  const ax = (aLon - pLon) * kx;
  const ay = (aLat - pLat) * M_PER_DEG_LAT;
  const bx = (bLon - pLon) * kx;
  const by = (bLat - pLat) * M_PER_DEG_LAT;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : -(ax * dx + ay * dy) / len2;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const cx = ax + t * dx;
  const cy = ay + t * dy;
  return Math.sqrt(cx * cx + cy * cy);
}

/** Distance in metres from p to a polyline. */
export function pointLineM(lon: number, lat: number, line: readonly LonLat[]): number {
  if (line.length === 1) {
    const only = line[0] as LonLat;
    return distanceM(lon, lat, only[0], only[1]);
  }
  let best = Infinity;
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1] as LonLat;
    const b = line[i] as LonLat;
    const d = pointSegmentM(lon, lat, a[0], a[1], b[0], b[1]);
    if (d < best) best = d;
  }
  return best;
}

/** Even-odd ray casting over one ring. A point exactly on an edge may go either way: callers that care use distances. */
export function inRing(lon: number, lat: number, ring: Ring): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const pi = ring[i] as LonLat;
    const pj = ring[j] as LonLat;
    const yi = pi[1];
    const yj = pj[1];
    if (yi > lat !== yj > lat) {
      const x = ((pj[0] - pi[0]) * (lat - yi)) / (yj - yi) + pi[0];
      if (lon < x) inside = !inside;
    }
  }
  return inside;
}

export function inPolygon(lon: number, lat: number, poly: Polygon): boolean {
  const outer = poly[0];
  if (!outer || !inRing(lon, lat, outer)) return false;
  for (let h = 1; h < poly.length; h++) if (inRing(lon, lat, poly[h] as Ring)) return false;
  return true;
}

/** Distance in metres from p to the nearest edge of any ring of the polygons. */
export function boundaryDistanceM(lon: number, lat: number, polys: readonly Polygon[]): number {
  let best = Infinity;
  for (const poly of polys) {
    for (const ring of poly) {
      const n = ring.length;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const a = ring[j] as LonLat;
        const b = ring[i] as LonLat;
        const d = pointSegmentM(lon, lat, a[0], a[1], b[0], b[1]);
        if (d < best) best = d;
      }
    }
  }
  return best;
}

export function bboxOf(points: Iterable<LonLat>): BBox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const [lon, lat] of points) {
    if (lon < minLon) minLon = lon;
    if (lat < minLat) minLat = lat;
    if (lon > maxLon) maxLon = lon;
    if (lat > maxLat) maxLat = lat;
  }
  return { minLon, minLat, maxLon, maxLat };
}

/** Grow a box by `m` metres on every side. */
export function expandBBox(b: BBox, m: number): BBox {
  const dLat = m / M_PER_DEG_LAT;
  const dLon = m / metersPerDegLon(Math.max(Math.abs(b.minLat), Math.abs(b.maxLat)));
  return {
    minLon: b.minLon - dLon,
    minLat: b.minLat - dLat,
    maxLon: b.maxLon + dLon,
    maxLat: b.maxLat + dLat,
  };
}

export function inBBox(lon: number, lat: number, b: BBox): boolean {
  return lon >= b.minLon && lon <= b.maxLon && lat >= b.minLat && lat <= b.maxLat;
}

/** Centroid of the outer ring's vertices: good enough to place a label or a camera incident. */
export function ringCenter(ring: Ring): LonLat {
  let x = 0;
  let y = 0;
  for (const [lon, lat] of ring) {
    x += lon;
    y += lat;
  }
  return [x / ring.length, y / ring.length];
}

/** Round a coordinate to 1e-7° (~1 cm) so outputs serialize the same everywhere. */
export function roundCoord(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

export function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

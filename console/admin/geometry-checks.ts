/**
 * Pure geometry checks for what admins draw or import: rings that cross themselves, coordinates
 * that are not longitude/latitude. Every message names where the problem is.
 */
export type XY = readonly [number, number];

/** Proper crossing or touching of segments ab and cd (collinear overlaps included). */
function segmentsMeet(a: XY, b: XY, c: XY, d: XY): boolean {
  const orient = (p: XY, q: XY, r: XY): number => {
    const v = (q[1] - p[1]) * (r[0] - q[0]) - (q[0] - p[0]) * (r[1] - q[1]);
    return v === 0 ? 0 : v > 0 ? 1 : 2;
  };
  const onSeg = (p: XY, q: XY, r: XY): boolean =>
    q[0] <= Math.max(p[0], r[0]) &&
    q[0] >= Math.min(p[0], r[0]) &&
    q[1] <= Math.max(p[1], r[1]) &&
    q[1] >= Math.min(p[1], r[1]);
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSeg(a, c, b)) ||
    (o2 === 0 && onSeg(a, d, b)) ||
    (o3 === 0 && onSeg(c, a, d)) ||
    (o4 === 0 && onSeg(c, b, d))
  );
}

/**
 * Where a ring (closed or not) crosses itself: the first pair of non-adjacent edges that meet,
 * as 0-based edge numbers, or null when it is simple.
 */
export function selfIntersection(ring: readonly XY[]): [number, number] | null {
  const pts = ring.length > 1 && sameXY(ring[0], ring[ring.length - 1]) ? ring.slice(0, -1) : [...ring];
  const n = pts.length;
  if (n < 4) return null;
  const edge = (i: number): [XY, XY] => [pts[i] as XY, pts[(i + 1) % n] as XY];
  for (let i = 0; i < n; i++) {
    const [a, b] = edge(i);
    const minX = Math.min(a[0], b[0]);
    const maxX = Math.max(a[0], b[0]);
    const minY = Math.min(a[1], b[1]);
    const maxY = Math.max(a[1], b[1]);
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // first and last edges share the closing vertex
      const [c, d] = edge(j);
      if (Math.max(c[0], d[0]) < minX || Math.min(c[0], d[0]) > maxX) continue;
      if (Math.max(c[1], d[1]) < minY || Math.min(c[1], d[1]) > maxY) continue;
      if (segmentsMeet(a, b, c, d)) return [i, j];
    }
  }
  return null;
}

function sameXY(a: XY | undefined, b: XY | undefined): boolean {
  return a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1];
}

/** Problems of a polygon ring: too few distinct points, crossing itself. */
export function ringProblems(ring: readonly XY[], where: string): string[] {
  const open = ring.length > 1 && sameXY(ring[0], ring[ring.length - 1]) ? ring.slice(0, -1) : ring;
  if (open.length < 3) return [`${where} needs at least 3 distinct points`];
  const x = selfIntersection(ring);
  return x ? [`${where} crosses itself (edges ${String(x[0] + 1)} and ${String(x[1] + 1)})`] : [];
}

/** Every number in a GeoJSON coordinates array, however deeply nested. */
export function coordinateNumbers(coords: unknown, out: number[] = []): number[] {
  if (typeof coords === 'number') out.push(coords);
  else if (Array.isArray(coords)) for (const c of coords) coordinateNumbers(c, out);
  return out;
}

/** Projected coordinates (metres: CGCS2000 Gauss–Krüger, Web Mercator) cannot be lon/lat. */
export function looksProjected(coords: unknown): boolean {
  const nums = coordinateNumbers(coords);
  for (let i = 0; i + 1 < nums.length; i += 2)
    if (Math.abs(nums[i] ?? 0) > 180 || Math.abs(nums[i + 1] ?? 0) > 90) return true;
  return false;
}

const WGS84_NAMES = new Set([
  'urn:ogc:def:crs:OGC:1.3:CRS84',
  'urn:ogc:def:crs:OGC::CRS84',
  'urn:ogc:def:crs:EPSG::4326',
  'EPSG:4326',
  'CRS84',
]);

/** A legacy GeoJSON `crs` member naming anything but WGS 84 lon/lat; null when fine or absent. */
export function wrongCrs(crs: unknown): string | null {
  if (crs === undefined || crs === null) return null;
  const name = (crs as { properties?: { name?: unknown } }).properties?.name;
  if (typeof name === 'string' && WGS84_NAMES.has(name)) return null;
  return typeof name === 'string' ? name : JSON.stringify(crs);
}

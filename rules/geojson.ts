import { MuckError, ZONE_KINDS, type ZoneKind } from '../core/index.js';
import type { LonLat, Polygon } from './geo.js';
import { scheduleProblems, toSchedule } from './schedule.js';
import type { Zone } from './zones.js';

/**
 * Zones as a GeoJSON FeatureCollection, so an admin can draw them in any GIS tool.
 * properties: code, kind, name, parent_code?, width_m? (approved_route), schedule?, anything else
 * is kept as the zone's own properties.
 */
export type ZoneInput = Omit<Zone, 'id'>;

interface Feature {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}

const RESERVED = new Set(['code', 'kind', 'name', 'parent_code', 'width_m', 'schedule']);

function isPosition(v: unknown): v is LonLat {
  return (
    Array.isArray(v) &&
    v.length >= 2 &&
    typeof v[0] === 'number' &&
    typeof v[1] === 'number' &&
    Math.abs(v[0]) <= 180 &&
    Math.abs(v[1]) <= 90
  );
}

function ringProblems(ring: unknown, where: string): string[] {
  if (!Array.isArray(ring) || !ring.every(isPosition))
    return [`${where}: not an array of [lon, lat] positions`];
  const r = ring;
  if (r.length < 4) return [`${where}: a ring needs at least 4 positions (closed)`];
  const a = r[0] as LonLat;
  const b = r[r.length - 1] as LonLat;
  if (a[0] !== b[0] || a[1] !== b[1]) return [`${where}: ring is not closed (first ≠ last position)`];
  return [];
}

function toPolygon(rings: LonLat[][]): Polygon {
  // Drop the closing position: rings are closed implicitly in geo.ts.
  return rings.map((r) => r.slice(0, -1).map((p) => [p[0], p[1]] as LonLat));
}

/** Parse and validate; throws MW_ZONE_INVALID listing every problem, each naming its feature. */
export function zonesFromGeoJSON(doc: unknown): ZoneInput[] {
  const problems: string[] = [];
  const fc = doc as { type?: unknown; features?: unknown };
  if (
    typeof doc !== 'object' ||
    doc === null ||
    fc.type !== 'FeatureCollection' ||
    !Array.isArray(fc.features)
  ) {
    throw new MuckError('MW_ZONE_INVALID', 'Zones must be a GeoJSON FeatureCollection with a features array');
  }
  const out: ZoneInput[] = [];
  const seen = new Set<string>();
  (fc.features as unknown[]).forEach((raw, i) => {
    const f = raw as Partial<Feature>;
    const rawProps: unknown = f.properties;
    const props = rawProps && typeof rawProps === 'object' ? (rawProps as Record<string, unknown>) : {};
    const code = typeof props.code === 'string' && props.code !== '' ? props.code : null;
    const name = `feature #${i}${code ? ` (code ${code})` : ''}`;
    const mine: string[] = [];
    if (f.type !== 'Feature') mine.push('type must be "Feature"');
    if (!code) mine.push('properties.code is required (a non-empty string)');
    else if (seen.has(code)) mine.push(`properties.code "${code}" is used by an earlier feature`);
    else seen.add(code);
    const kind = props.kind as ZoneKind;
    if (!ZONE_KINDS.includes(kind)) mine.push(`properties.kind must be one of ${ZONE_KINDS.join(', ')}`);
    const geom = f.geometry;
    let polygons: Polygon[] = [];
    let line: LonLat[] | null = null;
    const width = props.width_m;
    if (!geom || typeof geom !== 'object') mine.push('geometry is missing');
    else if (kind === 'approved_route') {
      if (geom.type !== 'LineString')
        mine.push('an approved_route needs a LineString geometry (the corridor centre)');
      else if (
        !Array.isArray(geom.coordinates) ||
        geom.coordinates.length < 2 ||
        !geom.coordinates.every(isPosition)
      )
        mine.push('LineString needs at least 2 [lon, lat] positions');
      else line = geom.coordinates.map((p) => [p[0], p[1]] as LonLat);
      if (typeof width !== 'number' || !(width > 0))
        mine.push('properties.width_m must be a positive number');
    } else if (geom.type === 'Polygon') {
      const rings = geom.coordinates;
      const ps =
        Array.isArray(rings) && rings.length > 0
          ? rings.flatMap((r, k) => ringProblems(r, `ring ${k}`))
          : ['Polygon has no rings'];
      mine.push(...ps);
      if (ps.length === 0) polygons = [toPolygon(rings as LonLat[][])];
    } else if (geom.type === 'MultiPolygon') {
      const polys = geom.coordinates;
      if (!Array.isArray(polys) || polys.length === 0) mine.push('MultiPolygon has no polygons');
      else {
        const ps = polys.flatMap((p: unknown, k) =>
          Array.isArray(p) && p.length > 0
            ? p.flatMap((r: unknown, j) => ringProblems(r, `polygon ${k} ring ${j}`))
            : [`polygon ${k} has no rings`],
        );
        mine.push(...ps);
        if (ps.length === 0) polygons = (polys as LonLat[][][]).map(toPolygon);
      }
    } else mine.push(`geometry type ${geom.type} is not allowed for a ${kind} (Polygon or MultiPolygon)`);
    if (props.schedule !== undefined && props.schedule !== null)
      mine.push(...scheduleProblems(props.schedule));
    if (
      props.parent_code !== undefined &&
      props.parent_code !== null &&
      typeof props.parent_code !== 'string'
    )
      mine.push('properties.parent_code must be a string');
    problems.push(...mine.map((m) => `${name}: ${m}`));
    if (mine.length > 0 || !code) return;
    const rest = Object.fromEntries(Object.entries(props).filter(([k]) => !RESERVED.has(k)));
    out.push({
      code,
      kind,
      name: typeof props.name === 'string' && props.name !== '' ? props.name : code,
      parentCode: typeof props.parent_code === 'string' ? props.parent_code : null,
      polygons,
      line,
      widthM: kind === 'approved_route' ? (width as number) : null,
      schedule: toSchedule(props.schedule),
      properties: rest,
    });
  });
  if (problems.length > 0) {
    throw new MuckError('MW_ZONE_INVALID', `${problems.length} problem(s) in the zones GeoJSON`, problems);
  }
  return out;
}

const closeRing = (r: readonly LonLat[]): number[][] => [...r, r[0] as LonLat].map((p) => [p[0], p[1]]);

/** Export zones as a FeatureCollection that zonesFromGeoJSON reads back to the same zones. */
export function zonesToGeoJSON(zones: readonly ZoneInput[]): {
  type: 'FeatureCollection';
  features: Feature[];
} {
  return {
    type: 'FeatureCollection',
    features: zones.map((z) => ({
      type: 'Feature',
      geometry: z.line
        ? { type: 'LineString', coordinates: z.line.map((p) => [p[0], p[1]]) }
        : z.polygons.length === 1
          ? { type: 'Polygon', coordinates: (z.polygons[0] as Polygon).map(closeRing) }
          : { type: 'MultiPolygon', coordinates: z.polygons.map((p) => p.map(closeRing)) },
      properties: {
        ...z.properties,
        code: z.code,
        kind: z.kind,
        name: z.name,
        ...(z.parentCode ? { parent_code: z.parentCode } : {}),
        ...(z.widthM !== null ? { width_m: z.widthM } : {}),
        ...(z.schedule ? { schedule: z.schedule } : {}),
      },
    })),
  };
}

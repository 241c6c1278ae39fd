import { MuckError } from '../../core/index.js';
import { zonesFromGeoJSON, zonesToGeoJSON, type ZoneInput } from '../../rules/index.js';
import { looksProjected, ringProblems, wrongCrs, type XY } from './geometry-checks.js';

/**
 * Pure: check a GeoJSON FeatureCollection feature by feature (the rules' own parser, plus wrong CRS,
 * empty geometry and self-intersections) and say what importing it would do to the stored zones.
 */
export type ZoneAction = 'create' | 'update' | 'unchanged';

export interface FeatureReport {
  readonly index: number;
  readonly code: string | null;
  readonly action: ZoneAction | null;
  readonly errors: readonly string[];
}

export interface StoredZone {
  readonly id: number;
  readonly active: boolean;
  readonly zone: ZoneInput;
}

export interface ZonePlan {
  readonly reports: readonly FeatureReport[];
  /** The zones to write (created or changed), in feature order; empty when any feature has an error. */
  readonly writes: readonly ZoneInput[];
  readonly errors: readonly string[];
}

interface RawFeature {
  type?: unknown;
  geometry?: { type?: unknown; coordinates?: unknown } | null;
  properties?: Record<string, unknown> | null;
}

const label = (i: number, code: string | null): string =>
  `feature #${String(i)}${code ? ` (code ${code})` : ''}`;

/** One feature's problems beyond the rules' parser: empty, projected, crossing itself. */
function geometryProblems(f: RawFeature): string[] {
  const g = f.geometry;
  if (!g || typeof g !== 'object') return [];
  const coords = g.coordinates;
  if (!Array.isArray(coords) || coords.length === 0) return ['geometry is empty (no coordinates)'];
  if (looksProjected(coords))
    return [
      'coordinates are not longitude/latitude (WGS 84, EPSG:4326); reproject the file before importing',
    ];
  const out: string[] = [];
  const rings: [XY[], string][] =
    g.type === 'Polygon'
      ? (coords as XY[][]).map((r, k) => [r, `ring ${String(k)}`])
      : g.type === 'MultiPolygon'
        ? (coords as XY[][][]).flatMap((p, k) =>
            Array.isArray(p)
              ? p.map((r, j): [XY[], string] => [r, `polygon ${String(k)} ring ${String(j)}`])
              : [],
          )
        : [];
  for (const [ring, where] of rings) {
    if (!Array.isArray(ring) || ring.length === 0) out.push(`${where} is empty`);
    // Malformed positions are the rules parser's to report.
    else if (ring.every((p: unknown) => Array.isArray(p) && p.length >= 2))
      out.push(...ringProblems(ring, where));
  }
  return out;
}

/** Parse one feature with the rules' parser; its messages say "feature #0", renumbered here. */
function parseOne(f: unknown): { zone: ZoneInput | null; errors: string[] } {
  try {
    const [zone] = zonesFromGeoJSON({ type: 'FeatureCollection', features: [f] });
    return { zone: zone ?? null, errors: [] };
  } catch (err) {
    if (!(err instanceof MuckError)) throw err;
    return {
      zone: null,
      errors: err.details.map((d) => d.replace(/^feature #0( \(code [^)]*\))?: /, '')),
    };
  }
}

const canonical = (z: ZoneInput): string => JSON.stringify(zonesToGeoJSON([z]).features[0]);

export function planZoneImport(doc: unknown, stored: ReadonlyMap<string, StoredZone>): ZonePlan {
  const fc = doc as { type?: unknown; features?: unknown; crs?: unknown };
  if (
    typeof doc !== 'object' ||
    doc === null ||
    fc.type !== 'FeatureCollection' ||
    !Array.isArray(fc.features)
  )
    throw new MuckError(
      'MW_ZONE_INVALID',
      'Zones must be a GeoJSON FeatureCollection with a features array.',
    );
  const crs = wrongCrs(fc.crs);
  if (crs !== null)
    throw new MuckError(
      'MW_ZONE_INVALID',
      `The file's coordinate system is ${crs}; zones must be WGS 84 longitude/latitude (EPSG:4326). Reproject it first.`,
    );
  if (fc.features.length === 0)
    throw new MuckError('MW_ZONE_INVALID', 'The FeatureCollection has no features.');
  const seen = new Map<string, number>();
  const reports: FeatureReport[] = [];
  const writes: ZoneInput[] = [];
  const errors: string[] = [];
  (fc.features as unknown[]).forEach((raw, i) => {
    const f = (raw ?? {}) as RawFeature;
    const props = f.properties && typeof f.properties === 'object' ? f.properties : {};
    const code = typeof props.code === 'string' && props.code !== '' ? props.code : null;
    const mine = [...geometryProblems(f)];
    const parsed = parseOne(raw);
    // The rules' parser repeats geometry problems in its own words; ours name the cause better.
    if (mine.length === 0) mine.push(...parsed.errors);
    else mine.push(...parsed.errors.filter((e) => !/ring|geometry|LineString|Polygon|position/.test(e)));
    if (code !== null) {
      const first = seen.get(code);
      if (first !== undefined) mine.push(`code ${code} is already used by feature #${String(first)}`);
      else seen.set(code, i);
    }
    let action: ZoneAction | null = null;
    if (mine.length === 0 && parsed.zone) {
      const old = stored.get(parsed.zone.code);
      action = !old
        ? 'create'
        : old.active && canonical(old.zone) === canonical(parsed.zone)
          ? 'unchanged'
          : 'update';
      if (action !== 'unchanged') writes.push(parsed.zone);
    }
    reports.push({ index: i, code, action, errors: mine });
    errors.push(...mine.map((m) => `${label(i, code)}: ${m}`));
  });
  return { reports, writes: errors.length > 0 ? [] : writes, errors };
}

/** A single drawn or edited zone (the map editor): the same checks, one feature. */
export function checkOneZone(feature: unknown): ZoneInput {
  const plan = planZoneImport({ type: 'FeatureCollection', features: [feature] }, new Map());
  const zone = plan.writes[0];
  if (plan.errors.length > 0 || !zone)
    throw new MuckError(
      'MW_ZONE_INVALID',
      'The zone is invalid.',
      plan.errors.map((e) => e.replace(/^feature #0/, 'zone')),
    );
  return zone;
}

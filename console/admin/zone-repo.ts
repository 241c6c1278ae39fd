import type { Pool, ZoneKind } from '../../core/index.js';
import { toSchedule, zonesToGeoJSON, type LonLat, type Polygon, type ZoneInput } from '../../rules/index.js';
import type { StoredZone } from './zone-plan.js';

/** Zones as admins edit them (inactive ones too), and single-zone writes. */
interface Geom {
  type: string;
  coordinates: unknown;
}

const open = (r: LonLat[]): LonLat[] => r.slice(0, -1);

function toInput(r: {
  code: string;
  kind: ZoneKind;
  name: string;
  parent_code: string | null;
  geom: Geom;
  width_m: number | null;
  schedule: unknown;
  properties: Record<string, unknown>;
}): ZoneInput {
  const g = r.geom;
  const polygons: Polygon[] =
    g.type === 'Polygon'
      ? [(g.coordinates as LonLat[][]).map(open)]
      : g.type === 'MultiPolygon'
        ? (g.coordinates as LonLat[][][]).map((p) => p.map(open))
        : [];
  return {
    code: r.code,
    kind: r.kind,
    name: r.name,
    parentCode: r.parent_code,
    polygons,
    line: g.type === 'LineString' ? (g.coordinates as LonLat[]) : null,
    widthM: r.width_m,
    schedule: toSchedule(r.schedule),
    properties: r.properties,
  };
}

export async function loadStoredZones(
  pool: Pool,
  where = 'TRUE',
  args: unknown[] = [],
): Promise<StoredZone[]> {
  const { rows } = await pool.query<{
    id: string;
    code: string;
    kind: ZoneKind;
    name: string;
    parent_code: string | null;
    geom: Geom;
    width_m: number | null;
    schedule: unknown;
    properties: Record<string, unknown>;
    active: boolean;
  }>(
    `SELECT id, code, kind, name, parent_code, ST_AsGeoJSON(geom)::json AS geom, width_m, schedule, properties, active
       FROM zones WHERE ${where} ORDER BY id`,
    args,
  );
  return rows.map((r) => ({ id: Number(r.id), active: r.active, zone: toInput(r) }));
}

export async function storedZoneById(pool: Pool, id: number): Promise<StoredZone | undefined> {
  return (await loadStoredZones(pool, 'id = $1', [id]))[0];
}

/** A zone as one GeoJSON feature (what the editor shows and the audit log records). */
export function zoneFeature(s: StoredZone, withActive = true): Record<string, unknown> {
  const f = zonesToGeoJSON([s.zone]).features[0];
  return { ...f, id: s.id, properties: { ...f?.properties, ...(withActive ? { active: s.active } : {}) } };
}

const geomJson = (z: ZoneInput): string =>
  JSON.stringify(
    z.line
      ? { type: 'LineString', coordinates: z.line }
      : { type: 'MultiPolygon', coordinates: z.polygons.map((p) => p.map((r) => [...r, r[0]])) },
  );

/**
 * Insert (id null) or replace a zone. updated_at moves, which is what the rules worker's
 * reference signature watches: the change reaches the rules on its next refresh.
 */
export async function writeZone(pool: Pool, id: number | null, z: ZoneInput): Promise<number> {
  const args = [
    z.kind,
    z.code,
    z.name,
    z.parentCode,
    geomJson(z),
    z.widthM,
    z.schedule ? JSON.stringify(z.schedule) : null,
    JSON.stringify(z.properties),
  ];
  const { rows } =
    id === null
      ? await pool.query<{ id: string }>(
          `INSERT INTO zones (kind, code, name, parent_code, geom, width_m, schedule, properties)
           VALUES ($1, $2, $3, $4, ST_SetSRID(ST_GeomFromGeoJSON($5), 4326), $6, $7, $8) RETURNING id`,
          args,
        )
      : await pool.query<{ id: string }>(
          `UPDATE zones SET kind = $1, code = $2, name = $3, parent_code = $4,
                  geom = ST_SetSRID(ST_GeomFromGeoJSON($5), 4326), width_m = $6, schedule = $7, properties = $8,
                  active = true, updated_at = now()
            WHERE id = $9 RETURNING id`,
          [...args, id],
        );
  return Number(rows[0]?.id);
}

export async function deactivateZone(pool: Pool, id: number): Promise<void> {
  await pool.query('UPDATE zones SET active = false, updated_at = now() WHERE id = $1', [id]);
}

import type { Pool, ZoneKind } from '../../core/index.js';
import type { LonLat, Polygon } from '../geo.js';
import type { ZoneInput } from '../geojson.js';
import { toSchedule } from '../schedule.js';
import type { CameraInfo, VehicleInfo } from '../world.js';
import type { Zone } from '../zones.js';

/** Reads zones, fleet and cameras from PostGIS, and writes imported zones. */
interface GeoJsonGeom {
  type: string;
  coordinates: unknown;
}

const dropClosing = (r: LonLat[]): LonLat[] => r.slice(0, -1);

function polygonsOf(g: GeoJsonGeom): Polygon[] {
  if (g.type === 'Polygon') return [(g.coordinates as LonLat[][]).map(dropClosing)];
  if (g.type === 'MultiPolygon') return (g.coordinates as LonLat[][][]).map((p) => p.map(dropClosing));
  return [];
}

export async function loadZones(pool: Pool): Promise<Zone[]> {
  const { rows } = await pool.query<{
    id: string;
    code: string;
    kind: ZoneKind;
    name: string;
    parent_code: string | null;
    geom: string;
    width_m: number | null;
    schedule: unknown;
    properties: Record<string, unknown>;
  }>(
    `SELECT id, code, kind, name, parent_code, ST_AsGeoJSON(geom) AS geom, width_m, schedule, properties
       FROM zones WHERE active ORDER BY id`,
  );
  return rows.map((r) => {
    const g = JSON.parse(r.geom) as GeoJsonGeom;
    return {
      id: Number(r.id),
      code: r.code,
      kind: r.kind,
      name: r.name,
      parentCode: r.parent_code,
      polygons: polygonsOf(g),
      line: g.type === 'LineString' ? (g.coordinates as LonLat[]) : null,
      widthM: r.width_m,
      schedule: toSchedule(r.schedule),
      properties: r.properties,
    };
  });
}

export async function loadVehicles(pool: Pool): Promise<VehicleInfo[]> {
  const { rows } = await pool.query<{
    id: string;
    plate: string;
    approved_route_id: string | null;
    permitted_hours: unknown;
    load_sensor: boolean;
  }>(
    'SELECT id, plate, approved_route_id, permitted_hours, load_sensor FROM vehicles WHERE active ORDER BY id',
  );
  return rows.map((r) => ({
    id: Number(r.id),
    plate: r.plate,
    approvedRouteId: r.approved_route_id === null ? null : Number(r.approved_route_id),
    permittedHours: toSchedule(r.permitted_hours),
    loadSensor: r.load_sensor,
  }));
}

export async function loadCameras(pool: Pool): Promise<CameraInfo[]> {
  const { rows } = await pool.query<{
    id: string;
    code: string;
    position: string | null;
    footprint: string | null;
    road_heading_deg: number | null;
    heading_deg: number | null;
    hfov_deg: number;
    jurisdiction_code: string | null;
  }>(
    `SELECT id, code, ST_AsGeoJSON(position) AS position, ST_AsGeoJSON(footprint) AS footprint,
            road_heading_deg, heading_deg, hfov_deg, jurisdiction_code FROM cameras ORDER BY id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    code: r.code,
    position: r.position ? (JSON.parse(r.position) as { coordinates: LonLat }).coordinates : null,
    footprint: r.footprint ? (polygonsOf(JSON.parse(r.footprint) as GeoJsonGeom)[0] ?? null) : null,
    roadHeadingDeg: r.road_heading_deg,
    viewHeadingDeg: r.heading_deg,
    hfovDeg: r.hfov_deg,
    jurisdictionCode: r.jurisdiction_code,
  }));
}

/** Terminal id (JT/T 808 phone number, leading zeros ignored) → vehicle id. */
export async function loadTerminals(pool: Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ terminal_id: string; vehicle_id: string }>(
    'SELECT terminal_id, vehicle_id FROM terminals WHERE vehicle_id IS NOT NULL',
  );
  return new Map(rows.map((r) => [r.terminal_id.replace(/^0+/, ''), Number(r.vehicle_id)]));
}

/**
 * Changes when any reference row changes: the worker rebuilds its world only then. Admin edits move
 * updated_at (a plate or a terminal number changed in place counts too).
 */
export async function referenceSignature(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ sig: string }>(
    `SELECT concat_ws('|',
       (SELECT concat(count(*), ':', max(updated_at), ':', sum(id)) FROM zones WHERE active),
       (SELECT concat(count(*), ':', sum(id), ':', max(updated_at), ':', md5(string_agg(concat(approved_route_id, permitted_hours::text, load_sensor), ',' ORDER BY id))) FROM vehicles WHERE active),
       (SELECT concat(count(*), ':', max(updated_at)) FROM cameras),
       (SELECT concat(count(*), ':', sum(vehicle_id), ':', max(updated_at)) FROM terminals)) AS sig`,
  );
  return rows[0]?.sig ?? '';
}

/** Insert or replace zones by code (GeoJSON import). */
export async function saveZones(pool: Pool, zones: readonly ZoneInput[]): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const z of zones) {
      const geom = z.line
        ? { type: 'LineString', coordinates: z.line }
        : {
            type: 'MultiPolygon',
            coordinates: z.polygons.map((p) => p.map((r) => [...r, r[0]])),
          };
      await client.query(
        `INSERT INTO zones (kind, code, name, parent_code, geom, width_m, schedule, properties)
         VALUES ($1, $2, $3, $4, ST_SetSRID(ST_GeomFromGeoJSON($5), 4326), $6, $7, $8)
         ON CONFLICT (code) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name,
           parent_code = EXCLUDED.parent_code, geom = EXCLUDED.geom, width_m = EXCLUDED.width_m,
           schedule = EXCLUDED.schedule, properties = EXCLUDED.properties, active = true, updated_at = now()`,
        [
          z.kind,
          z.code,
          z.name,
          z.parentCode,
          JSON.stringify(geom),
          z.widthM,
          z.schedule ? JSON.stringify(z.schedule) : null,
          JSON.stringify(z.properties),
        ],
      );
    }
    await client.query('COMMIT');
    return zones.length;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

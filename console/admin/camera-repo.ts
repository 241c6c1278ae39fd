import type { Pool } from '../../core/index.js';
import { closedRing, type CameraInput, type ImageZoneInput } from './camera-input.js';
import type { XY } from './geometry-checks.js';

/** A camera as the admin page edits it. Credentials are never read back: only whether some are set. */
export interface CameraSettingsView {
  id: number;
  code: string;
  name: string;
  rtspMainUrl: string;
  rtspSubUrl: string | null;
  transport: 'tcp' | 'udp';
  hasCredentials: boolean;
  position: XY | null;
  headingDeg: number | null;
  hfovDeg: number;
  roadHeadingDeg: number | null;
  footprint: XY[] | null;
  detectFps: number;
  detectWidth: number;
  detectHeight: number;
  model: string | null;
  loiteringS: number;
  jurisdictionCode: string | null;
  enabled: boolean;
  imageZones: ImageZoneInput[];
  updatedAt: string;
}

export async function cameraSettings(pool: Pool, id: number): Promise<CameraSettingsView | undefined> {
  const { rows } = await pool.query<{
    id: string;
    code: string;
    name: string;
    rtsp_main_url: string;
    rtsp_sub_url: string | null;
    transport: 'tcp' | 'udp';
    has_credentials: boolean;
    position: { coordinates: XY } | null;
    heading_deg: number | null;
    hfov_deg: number;
    road_heading_deg: number | null;
    footprint: { coordinates: XY[][] } | null;
    detect_fps: number;
    detect_width: number;
    detect_height: number;
    model: string | null;
    loitering_s: number;
    jurisdiction_code: string | null;
    enabled: boolean;
    image_zones: ImageZoneInput[];
    updated_at: Date;
  }>(
    `SELECT id, code, name, rtsp_main_url, rtsp_sub_url, transport, credentials_enc IS NOT NULL AS has_credentials,
            ST_AsGeoJSON(position)::json AS position, heading_deg, hfov_deg, road_heading_deg,
            ST_AsGeoJSON(footprint)::json AS footprint, detect_fps, detect_width, detect_height, model,
            loitering_s, jurisdiction_code, enabled, image_zones, updated_at
       FROM cameras WHERE id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return undefined;
  const ring = r.footprint?.coordinates[0] ?? null;
  return {
    id: Number(r.id),
    code: r.code,
    name: r.name,
    rtspMainUrl: r.rtsp_main_url,
    rtspSubUrl: r.rtsp_sub_url,
    transport: r.transport,
    hasCredentials: r.has_credentials,
    position: r.position?.coordinates ?? null,
    headingDeg: r.heading_deg,
    hfovDeg: r.hfov_deg,
    roadHeadingDeg: r.road_heading_deg,
    // Shown open (as drawn); stored closed.
    footprint: ring ? ring.slice(0, -1) : null,
    detectFps: r.detect_fps,
    detectWidth: r.detect_width,
    detectHeight: r.detect_height,
    model: r.model,
    loiteringS: r.loitering_s,
    jurisdictionCode: r.jurisdiction_code,
    enabled: r.enabled,
    imageZones: Array.isArray(r.image_zones) ? r.image_zones : [],
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function cameraCredentialsBlob(pool: Pool, id: number): Promise<Buffer | null> {
  const { rows } = await pool.query<{ c: Buffer | null }>(
    'SELECT credentials_enc AS c FROM cameras WHERE id = $1',
    [id],
  );
  return rows[0]?.c ?? null;
}

/** Column, and how its value is written, for each settable field. */
const COLUMNS: Record<keyof CameraInput, [string, (v: unknown) => unknown, string?]> = {
  code: ['code', (v) => v],
  name: ['name', (v) => v],
  rtspMainUrl: ['rtsp_main_url', (v) => v],
  rtspSubUrl: ['rtsp_sub_url', (v) => v],
  transport: ['transport', (v) => v],
  credentials: ['credentials_enc', (v) => v],
  position: [
    'position',
    (v) => (v ? JSON.stringify({ type: 'Point', coordinates: v }) : null),
    'ST_SetSRID(ST_GeomFromGeoJSON($), 4326)',
  ],
  headingDeg: ['heading_deg', (v) => v],
  hfovDeg: ['hfov_deg', (v) => v],
  roadHeadingDeg: ['road_heading_deg', (v) => v],
  footprint: [
    'footprint',
    (v) => (v ? JSON.stringify({ type: 'Polygon', coordinates: [closedRing(v as XY[])] }) : null),
    'ST_SetSRID(ST_GeomFromGeoJSON($), 4326)',
  ],
  detectFps: ['detect_fps', (v) => v],
  detectWidth: ['detect_width', (v) => v],
  detectHeight: ['detect_height', (v) => v],
  model: ['model', (v) => v],
  loiteringS: ['loitering_s', (v) => v],
  jurisdictionCode: ['jurisdiction_code', (v) => v],
  enabled: ['enabled', (v) => v],
  imageZones: ['image_zones', (v) => JSON.stringify(v)],
};

/**
 * Write the given fields (credentials already encrypted, as a Buffer or null). updated_at moves:
 * pipeline nodes compare a held camera's settings every tick and restart it with the new ones, and
 * the rules worker reloads cameras when it sees the change.
 */
export async function writeCamera(
  pool: Pool,
  id: number | null,
  input: Omit<CameraInput, 'credentials'> & { credentials?: Buffer | null },
): Promise<number> {
  const cols: string[] = [];
  const exprs: string[] = [];
  const args: unknown[] = [];
  for (const [k, v] of Object.entries(input) as [string, unknown][]) {
    if (v === undefined) continue;
    const spec = COLUMNS[k as keyof CameraInput];
    args.push(spec[1](v));
    cols.push(spec[0]);
    exprs.push((spec[2] ?? '$').replace('$', `$${String(args.length)}`));
  }
  if (id === null) {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO cameras (${cols.join(', ')}) VALUES (${exprs.join(', ')}) RETURNING id`,
      args,
    );
    return Number(rows[0]?.id);
  }
  args.push(id);
  const sets = cols.map((c, i) => `${c} = ${exprs[i] ?? ''}`);
  await pool.query(
    `UPDATE cameras SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $${String(args.length)}`,
    args,
  );
  return id;
}

/** The newest recorded segment file of a camera (the snapshot's fallback when the stream is down). */
export async function latestSegmentPath(pool: Pool, id: number): Promise<string | null> {
  const { rows } = await pool.query<{ path: string }>(
    `SELECT path FROM recording_segments WHERE camera_id = $1 AND deleted_at IS NULL ORDER BY ends_at DESC LIMIT 1`,
    [id],
  );
  return rows[0]?.path ?? null;
}

import { decryptCredentials, urlWithCredentials, type Pool } from '../../core/index.js';

/** What a pipeline node needs to run a camera; a change to any field restarts its supervisor. */
export interface CameraSettings {
  readonly id: number;
  readonly code: string;
  readonly url: string;
  /** The sub stream, analysed instead of the main one (which is still what is recorded). */
  readonly detectUrl: string | null;
  readonly transport: 'tcp' | 'udp';
  readonly fps: number;
  readonly width: number;
  readonly height: number;
  /** Polygons drawn on the camera image (source pixels): no-vending, site gate, ignore. */
  readonly zones: readonly ImageZone[];
  /** Seconds a stall may stand in a no-vending zone before it is street vending. */
  readonly loiteringS: number;
}

export interface ImageZone {
  readonly id: string;
  readonly kind: 'no_vending' | 'site_gate' | 'ignore';
  readonly polygon: readonly (readonly [number, number])[];
}

const ZONE_KINDS = new Set(['no_vending', 'site_gate', 'ignore']);

/** Keep the well-formed zones of a camera's image_zones JSON; an admin's typo must not stop the camera. */
export function parseImageZones(raw: unknown): ImageZone[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((z: unknown, i) => {
    const o = z as { id?: unknown; kind?: unknown; polygon?: unknown };
    const poly = Array.isArray(o.polygon) ? o.polygon : [];
    const points = poly.filter(
      (p): p is [number, number] =>
        Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number'),
    );
    if (typeof o.kind !== 'string' || !ZONE_KINDS.has(o.kind) || points.length < 3) return [];
    return [
      {
        id: typeof o.id === 'string' ? o.id : `zone-${String(i)}`,
        kind: o.kind as ImageZone['kind'],
        polygon: points,
      },
    ];
  });
}

/**
 * The camera's URL with its stored credentials (encrypted at rest). A secret that cannot be
 * decrypted leaves the bare URL: that camera then fails as "auth refused", the others run on.
 */
function streamUrl(url: string, enc: Buffer | null, secretKey: (() => Buffer) | undefined): string {
  if (!enc || !secretKey) return url;
  try {
    return urlWithCredentials(url, decryptCredentials(secretKey(), enc));
  } catch {
    return url;
  }
}

export async function loadEnabledCameras(pool: Pool, secretKey?: () => Buffer): Promise<CameraSettings[]> {
  const { rows } = await pool.query<{
    id: string;
    code: string;
    rtsp_main_url: string;
    rtsp_sub_url: string | null;
    transport: 'tcp' | 'udp';
    detect_fps: number;
    detect_width: number;
    detect_height: number;
    image_zones: unknown;
    loitering_s: number;
    credentials_enc: Buffer | null;
  }>(
    `SELECT id, code, rtsp_main_url, rtsp_sub_url, transport, detect_fps, detect_width, detect_height, image_zones, loitering_s,
            credentials_enc
     FROM cameras WHERE enabled ORDER BY id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    code: r.code,
    url: streamUrl(r.rtsp_main_url, r.credentials_enc, secretKey),
    detectUrl: r.rtsp_sub_url ? streamUrl(r.rtsp_sub_url, r.credentials_enc, secretKey) : null,
    transport: r.transport,
    fps: r.detect_fps,
    width: r.detect_width,
    height: r.detect_height,
    zones: parseImageZones(r.image_zones),
    loiteringS: r.loitering_s,
  }));
}

export const settingsKey = (c: CameraSettings): string => JSON.stringify(c);

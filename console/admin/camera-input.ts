import { MuckError, type CameraCredentials } from '../../core/index.js';
import { ringProblems, type XY } from './geometry-checks.js';

/**
 * Pure: a camera's settings as an admin sends them, checked beyond what the JSON schema can say
 * (polygons that cross themselves, duplicate zone ids), and credentials lifted out of URLs.
 */
export const IMAGE_ZONE_KINDS = ['no_vending', 'site_gate', 'ignore'] as const;

export interface ImageZoneInput {
  readonly id: string;
  readonly kind: (typeof IMAGE_ZONE_KINDS)[number];
  readonly polygon: readonly XY[];
}

export interface CameraInput {
  code?: string;
  name?: string;
  rtspMainUrl?: string;
  rtspSubUrl?: string | null;
  transport?: 'tcp' | 'udp';
  credentials?: CameraCredentials | null;
  position?: XY | null;
  headingDeg?: number | null;
  /** Horizontal field of view, degrees: with the heading, where in view a finding's truck is. */
  hfovDeg?: number;
  roadHeadingDeg?: number | null;
  footprint?: XY[] | null;
  detectFps?: number;
  detectWidth?: number;
  detectHeight?: number;
  model?: string | null;
  loiteringS?: number;
  jurisdictionCode?: string | null;
  enabled?: boolean;
  imageZones?: ImageZoneInput[];
}

/** Every problem of the polygons (image zones in source pixels, the footprint in lon/lat). */
export function cameraProblems(c: CameraInput): string[] {
  const out: string[] = [];
  const ids = new Set<string>();
  for (const [i, z] of (c.imageZones ?? []).entries()) {
    const where = `image zone #${String(i)} (${z.id})`;
    if (ids.has(z.id)) out.push(`${where}: id ${z.id} is used twice`);
    ids.add(z.id);
    out.push(...ringProblems(z.polygon, `${where}: the polygon`));
  }
  if (c.footprint) out.push(...ringProblems(c.footprint, 'footprint'));
  return out;
}

/**
 * `rtsp://user:pass@host/path` → the URL without them, and the credentials (stored encrypted):
 * a password must never sit in a plain column or come back from the API.
 */
export function splitCredentials(url: string): { url: string; credentials: CameraCredentials | null } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new MuckError(
      'MW_VALIDATION',
      `Camera URL ${url.replace(/\/\/[^@/]*@/, '//***@')} is not a valid URL.`,
    );
  }
  if (u.username === '' && u.password === '') return { url, credentials: null };
  const credentials = { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) };
  u.username = '';
  u.password = '';
  return { url: u.toString(), credentials };
}

/** The stored footprint ring closed for PostGIS (first point repeated at the end). */
export function closedRing(ring: readonly XY[]): XY[] {
  const first = ring[0];
  const last = ring[ring.length - 1];
  return first && last && (first[0] !== last[0] || first[1] !== last[1]) ? [...ring, first] : [...ring];
}

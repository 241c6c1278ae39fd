import {
  DETECTION_TYPES,
  type DetectionType,
  type GpsPointPayload,
  type GpsSource,
  type JobOf,
  type LoadState,
} from '../core/index.js';
import type { CameraObservation, Fix } from './world.js';

/**
 * Queue payloads and stored rows become rule inputs through these functions only, so the live
 * worker and the replay see exactly the same numbers (speeds and headings are stored as float4,
 * hence rounded to 0.1 here on both paths).
 */
const r1 = (v: number | null | undefined): number | null =>
  v === null || v === undefined ? null : Math.round(v * 10) / 10;

/** JT/T 808 status bits 8–9: 00 empty, 01 half, 11 full (10 is reserved). */
export function loadFromStatusBits(bits: number): LoadState | null {
  switch (Math.floor(bits / 256) & 3) {
    case 0:
      return 'empty';
    case 1:
      return 'half';
    case 3:
      return 'full';
    default:
      return null;
  }
}

export interface PointFields {
  readonly vehicleId: number;
  readonly fixTime: number;
  readonly lon: number;
  readonly lat: number;
  readonly speedKmh: number | null;
  readonly headingDeg: number | null;
  readonly statusBits: number;
  readonly loadState: LoadState | null;
  readonly source: GpsSource;
}

/**
 * Whose word the load state is. A JT/T 808 terminal always sends bits 8–9, and 00 ("empty") is
 * also what a terminal without a load sensor sends, so over JT/T 808 they count only for vehicles
 * registered with a sensor (`vehicles.load_sensor`). Other sources send a load state only when
 * they have one.
 */
export function sensorLoadOf(p: PointFields, vehicleHasSensor: boolean): LoadState | null {
  if (p.source !== 'jt808')
    return p.loadState ?? (vehicleHasSensor ? loadFromStatusBits(p.statusBits) : null);
  return vehicleHasSensor ? (p.loadState ?? loadFromStatusBits(p.statusBits)) : null;
}

export function toFix(p: PointFields, vehicleHasSensor: boolean): Fix {
  return {
    vehicleId: p.vehicleId,
    t: p.fixTime,
    lon: p.lon,
    lat: p.lat,
    speedKmh: r1(p.speedKmh),
    headingDeg: r1(p.headingDeg),
    sensorLoad: sensorLoadOf(p, vehicleHasSensor),
  };
}

export function fixFromPayload(p: GpsPointPayload, vehicleId: number, vehicleHasSensor: boolean): Fix {
  return toFix(
    {
      vehicleId,
      fixTime: Date.parse(p.fixTime),
      lon: p.lon,
      lat: p.lat,
      speedKmh: p.speedKmh ?? null,
      headingDeg: p.headingDeg ?? null,
      statusBits: p.statusBits,
      loadState: p.loadState ?? null,
      source: p.source,
    },
    vehicleHasSensor,
  );
}

export function observationFromEvent(e: JobOf<'camera-events'>): CameraObservation {
  return {
    cameraId: e.cameraId,
    type: e.type,
    t: Date.parse(e.startedAt),
    endT: e.endedAt ? Date.parse(e.endedAt) : null,
    trackIds: [...e.trackIds].sort((a, b) => a - b),
    confidence: e.confidence,
    imageX: imageXOf(e.bestFrame),
  };
}

/** Centre of the best frame's box across the picture (0..1), or null without the picture's size. */
function imageXOf(b: JobOf<'camera-events'>['bestFrame']): number | null {
  if (!b?.frame) return null;
  const x = (b.box.x + b.box.w / 2) / b.frame.width;
  return Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;
}

/**
 * Raw per-frame detections fold into one observation per camera, class and track: the first
 * sighting opens it; sightings within `gapMs` of the last one belong to it. Pure, per camera.
 */
export type DetectionFold = Map<string, { readonly startT: number; lastT: number }>;

export function foldDetections(
  fold: DetectionFold,
  d: JobOf<'detections'>,
  gapMs = 60_000,
): CameraObservation[] {
  const t = Date.parse(d.frameTime);
  const out: CameraObservation[] = [];
  for (const o of d.objects) {
    if (!DETECTION_TYPES.includes(o.cls as DetectionType)) continue;
    const key = `${d.cameraId}:${o.cls}:${o.trackId ?? 'untracked'}`;
    const open = fold.get(key);
    if (open && t - open.lastT <= gapMs && t >= open.startT) {
      open.lastT = Math.max(open.lastT, t);
      continue;
    }
    fold.set(key, { startT: t, lastT: t });
    out.push({
      cameraId: d.cameraId,
      type: o.cls as DetectionType,
      t,
      endT: null,
      trackIds: o.trackId === undefined ? [] : [o.trackId],
      confidence: o.confidence,
    });
  }
  return out;
}

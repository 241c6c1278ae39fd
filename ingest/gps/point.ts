import type { GpsPointPayload, GpsSource, LoadState } from '../../core/index.js';

/** A position as the gateway sees it after decoding, before filters (times in epoch ms). */
export interface GpsPoint {
  /** Terminal phone number (leading zeros stripped) or the HTTP device id. */
  readonly deviceId: string;
  readonly vehicleId?: number;
  readonly fixTimeMs: number;
  readonly receivedMs: number;
  readonly lon: number;
  readonly lat: number;
  readonly speedKmh?: number;
  readonly headingDeg?: number;
  readonly altitudeM?: number;
  readonly alarmBits: number;
  readonly statusBits: number;
  readonly loadState?: LoadState;
  readonly source: GpsSource;
  /** The receiver says it has a position fix (JT/T 808 status bit 1). */
  readonly valid: boolean;
  /** Blind-area backlog (补报): legitimately older than what the device already sent. */
  readonly backlog: boolean;
  /** Everything else worth keeping (mileage, signal, satellites, raw unknown items). */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Canonical terminal id: 2013 pads to 12 digits and 2019 to 20, so leading zeros carry no meaning. */
export function canonicalTerminalId(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}

/** An accepted point as the `gps-points` queue and the live map carry it. */
export function toPayload(p: GpsPoint): GpsPointPayload {
  return {
    deviceId: p.deviceId,
    ...(p.vehicleId !== undefined ? { vehicleId: p.vehicleId } : {}),
    fixTime: new Date(p.fixTimeMs).toISOString(),
    lon: p.lon,
    lat: p.lat,
    ...(p.speedKmh !== undefined ? { speedKmh: p.speedKmh } : {}),
    ...(p.headingDeg !== undefined ? { headingDeg: p.headingDeg % 360 } : {}),
    statusBits: p.statusBits,
    alarmBits: p.alarmBits,
    ...(p.loadState ? { loadState: p.loadState } : {}),
    source: p.source,
  };
}

/** Great-circle distance in metres (haversine on a 6371 km sphere: plenty for jump checks). */
export function distanceM(aLon: number, aLat: number, bLon: number, bLat: number): number {
  const r = Math.PI / 180;
  const dLat = (bLat - aLat) * r;
  const dLon = (bLon - aLon) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * r) * Math.cos(bLat * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

import type { LoadState } from '../../../core/index.js';
import { STATUS, loadStateBits, type LocationInput, type ProtocolVersion } from '../jt808/index.js';

/**
 * The simulator's input: one track per truck. Scenario files (fixtures) and generated fleets
 * both produce this shape. `t` is epoch ms or an ISO time; `speed` km/h, `heading` degrees.
 */
export interface ScenarioPoint {
  readonly t: number | string;
  readonly lon: number;
  readonly lat: number;
  readonly speed?: number;
  readonly heading?: number;
  readonly loadState?: LoadState;
  /** false = the receiver has no fix (status bit 1 clear). Default true. */
  readonly fix?: boolean;
}

export interface ScenarioTrack {
  /** JT/T 808 terminal phone number (digits). */
  readonly terminalId: string;
  /** Plate the terminal registers with (must be a vehicle in the database). */
  readonly plate: string;
  readonly version?: ProtocolVersion;
  readonly points: readonly ScenarioPoint[];
}

export const timeOf = (p: ScenarioPoint): number => (typeof p.t === 'number' ? p.t : Date.parse(p.t));

export function toLocation(p: ScenarioPoint, timeMs = timeOf(p), mileageKm?: number): LocationInput {
  const status = STATUS.ACC | (p.fix === false ? 0 : STATUS.FIX) | loadStateBits(p.loadState ?? 'empty');
  return {
    status,
    lat: p.lat,
    lon: p.lon,
    speedKmh: p.speed ?? 0,
    headingDeg: p.heading ?? 0,
    timeMs,
    signal: 25,
    satellites: 12,
    ...(mileageKm !== undefined ? { mileageKm } : {}),
  };
}

/** A small deterministic PRNG (mulberry32) so a generated fleet is the same every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FleetOptions {
  readonly trucks: number;
  readonly pointsPerTruck: number;
  readonly startMs: number;
  readonly intervalS?: number;
  readonly seed?: number;
  /** Centre of the area trucks start around (default: Shenzhen). */
  readonly center?: { lon: number; lat: number };
  /** First terminal id; trucks get consecutive ids. */
  readonly firstTerminalId?: number;
  readonly version?: ProtocolVersion;
}

/**
 * N trucks driving plausible tracks (30–50 km/h, gently turning), each loading a third of the
 * way in (full) and unloading two thirds in (empty), so load-state changes are exercised.
 */
export function generateFleet(o: FleetOptions): ScenarioTrack[] {
  const rnd = prng(o.seed ?? 1);
  const center = o.center ?? { lon: 114.06, lat: 22.55 };
  const interval = (o.intervalS ?? 10) * 1000;
  const first = o.firstTerminalId ?? 13900000000;
  const tracks: ScenarioTrack[] = [];
  for (let i = 0; i < o.trucks; i++) {
    let lon = center.lon + (rnd() - 0.5) * 0.2;
    let lat = center.lat + (rnd() - 0.5) * 0.2;
    let heading = rnd() * 360;
    const points: ScenarioPoint[] = [];
    for (let k = 0; k < o.pointsPerTruck; k++) {
      const speed = 30 + rnd() * 20;
      heading = (heading + (rnd() - 0.5) * 30 + 360) % 360;
      const loadState: LoadState =
        k < o.pointsPerTruck / 3 ? 'empty' : k < (2 * o.pointsPerTruck) / 3 ? 'full' : 'empty';
      points.push({
        t: o.startMs + k * interval,
        lon: round6(lon),
        lat: round6(lat),
        speed: Math.round(speed * 10) / 10,
        heading: Math.round(heading),
        loadState,
      });
      const metres = (speed / 3.6) * (interval / 1000);
      lat += (metres * Math.cos((heading * Math.PI) / 180)) / 111_320;
      lon += (metres * Math.sin((heading * Math.PI) / 180)) / (111_320 * Math.cos((lat * Math.PI) / 180));
    }
    tracks.push({
      terminalId: String(first + i),
      plate: `粤B${String(10000 + i).padStart(5, '0')}`,
      points,
      ...(o.version ? { version: o.version } : {}),
    });
  }
  return tracks;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

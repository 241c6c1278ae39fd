import type { LoadState } from '../core/index.js';
import type { LonLat, Polygon } from './geo.js';
import type { RulesParams } from './params.js';
import type { Schedule } from './schedule.js';
import { ZoneIndex, type Zone } from './zones.js';

/** The reference data the rules read (zones, fleet, cameras) plus thresholds; swapped whole on refresh. */
export interface VehicleInfo {
  readonly id: number;
  readonly plate: string;
  readonly approvedRouteId: number | null;
  readonly permittedHours: Schedule | null;
  readonly loadSensor: boolean;
}

export interface CameraInfo {
  readonly id: number;
  readonly code: string;
  readonly position: LonLat | null;
  /** Ground area the camera sees. */
  readonly footprint: Polygon | null;
  /** Direction of the road in view (either way), when known: a truck's heading should match it. */
  readonly roadHeadingDeg: number | null;
  /** Compass direction the camera looks along, when known. */
  readonly viewHeadingDeg?: number | null;
  /** Horizontal field of view, degrees (60 unless configured). */
  readonly hfovDeg?: number;
  readonly jurisdictionCode: string | null;
}

export interface World {
  readonly zones: ZoneIndex;
  readonly vehicles: ReadonlyMap<number, VehicleInfo>;
  readonly cameras: ReadonlyMap<number, CameraInfo>;
  readonly params: RulesParams;
  /** Codes of the jurisdiction zones that make up "home". */
  readonly homeCodes: ReadonlySet<string>;
  /** The home jurisdiction zones themselves (for boundary distances). */
  readonly homeZones: readonly Zone[];
}

/** One GPS fix as the rules see it: event time in ms, sensor load state only when a sensor reported it. */
export interface Fix {
  readonly vehicleId: number;
  readonly t: number;
  readonly lon: number;
  readonly lat: number;
  readonly speedKmh: number | null;
  readonly headingDeg: number | null;
  readonly sensorLoad: LoadState | null;
}

/** A camera finding (camera-events queue, or a detection folded into one). */
export interface CameraObservation {
  readonly cameraId: number;
  readonly type: 'dust' | 'uncovered_load' | 'dumping' | 'street_vending';
  readonly t: number;
  readonly endT: number | null;
  readonly trackIds: readonly number[];
  readonly confidence: number;
  /** Centre of the finding's box across the picture, 0 (left) to 1 (right), when known. */
  readonly imageX?: number | null;
}

/**
 * Home = the configured jurisdiction and its children; when none is configured, the jurisdiction
 * zones marked `home: true`, or the only top-level jurisdiction when there is just one.
 */
export function homeJurisdictions(zones: readonly Zone[], configured: string): Zone[] {
  const juris = zones.filter((z) => z.kind === 'jurisdiction');
  if (configured !== '') return juris.filter((z) => z.code === configured || z.parentCode === configured);
  const marked = juris.filter((z) => z.properties.home === true);
  if (marked.length > 0) return marked;
  const roots = juris.filter((z) => z.parentCode === null);
  return roots.length === 1 ? roots : [];
}

export function buildWorld(
  zones: readonly Zone[],
  vehicles: readonly VehicleInfo[],
  cameras: readonly CameraInfo[],
  params: RulesParams,
): World {
  const home = homeJurisdictions(zones, params.homeJurisdiction);
  return {
    zones: new ZoneIndex(zones),
    vehicles: new Map(vehicles.map((v) => [v.id, v])),
    cameras: new Map(cameras.map((c) => [c.id, c])),
    params,
    homeCodes: new Set(home.map((z) => z.code)),
    homeZones: home,
  };
}

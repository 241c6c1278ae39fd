import type { ZoneKind } from '../core/index.js';
import type { ExcerptPoint, History } from './track.js';
import type { Fix } from './world.js';

/** What the rules believe about a truck's load, and why. */
export interface LoadInfo {
  readonly state: 'loaded' | 'empty' | 'unknown';
  readonly source: 'sensor' | 'inferred' | 'none';
  readonly since: number;
  readonly evidence: string;
}

/** A stay point being built: within radiusM of its anchor since startT. */
export interface Stay {
  readonly startT: number;
  lastT: number;
  readonly anchorLon: number;
  readonly anchorLat: number;
  sumLon: number;
  sumLat: number;
  n: number;
  readonly radiusM: number;
  readonly minS: number;
  readonly kind: ZoneKind | 'default';
  confirmed: boolean;
  /** Longest time the truck stood still (within dwellRadiusM), tracked from a moving sub-anchor. */
  dwellT: number;
  dwellLon: number;
  dwellLat: number;
  longestDwellS: number;
  readonly loadAtStart: LoadInfo;
  readonly loadedInHomeAtStart: boolean;
  /** When a load sensor reported loaded → empty during this stay. */
  sensorUnloadT: number | null;
}

export interface StopRecord {
  readonly startT: number;
  readonly endT: number;
  readonly lon: number;
  readonly lat: number;
}

/**
 * Per-vehicle rule state. step() consumes it (updates in place and returns it) so 5,000 vehicles
 * at 20,000 fixes/s do not churn the heap; nothing else holds a reference to it.
 */
export interface VehicleState {
  readonly vehicleId: number;
  last: Fix | null;
  readonly history: History;
  stay: Stay | null;
  load: LoadInfo;
  /** Loaded, and inside the home jurisdiction at some point since it was loaded. */
  loadedInHome: boolean;
  side: 'home' | 'away' | null;
  suspects: Suspect[];
  recentStops: StopRecord[];
  deviation: Episode | null;
  offHours: Episode | null;
}

/**
 * A stretch of time a condition held (off the approved corridor, moving outside permitted hours).
 * It fires once when it has lasted long enough, and again with its end when it stops holding;
 * both carry the same dedupe key, so they are one incident.
 */
export interface Episode {
  readonly startT: number;
  readonly startLon: number;
  readonly startLat: number;
  lastT: number;
  maxM: number;
  fired: boolean;
}

/** A suspicious loaded stop outside home: it becomes cross_border_dumping when the truck comes back. */
export interface Suspect {
  readonly key: string;
  readonly startT: number;
  readonly endT: number;
  readonly lon: number;
  readonly lat: number;
  readonly sensorUnloadT: number | null;
  readonly gps: Readonly<Record<string, unknown>>;
  readonly track: readonly ExcerptPoint[];
}

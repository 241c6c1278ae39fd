import type { LoadState } from '../core/index.js';
import { flushEngine, newEngineState, stepEngine, type EngineState, type RulesInput } from './engine.js';
import { metersPerDegLon, type LonLat } from './geo.js';
import { foldDrafts, type IncidentDraft } from './incidents.js';
import type { Fix, World } from './world.js';

/**
 * Build truck tracks from legs (drive, park, gap) and run inputs through the rules: the shape a
 * scenario file's truck tracks take to be fed in, used by the tests and the benchmarks.
 */
export interface TrackBuilder {
  readonly vehicleId: number;
  t: number;
  pos: LonLat;
  intervalS: number;
  sensorLoad: LoadState | null;
  readonly fixes: Fix[];
}

export function track(vehicleId: number, start: LonLat, t0: number | string, intervalS = 10): TrackBuilder {
  return {
    vehicleId,
    t: typeof t0 === 'string' ? Date.parse(t0) : t0,
    pos: start,
    intervalS,
    sensorLoad: null,
    fixes: [],
  };
}

function emit(b: TrackBuilder, lon: number, lat: number, speedKmh: number | null): void {
  b.fixes.push({
    vehicleId: b.vehicleId,
    t: b.t,
    lon,
    lat,
    speedKmh,
    headingDeg: null,
    sensorLoad: b.sensorLoad,
  });
}

/** Drive in a straight line to `to` at `kmh`, one fix per interval (the arrival fix included). */
export function drive(b: TrackBuilder, to: LonLat, kmh: number): TrackBuilder {
  const [lon0, lat0] = b.pos;
  const dx = (to[0] - lon0) * metersPerDegLon(lat0);
  const dy = (to[1] - lat0) * 110_574;
  const dist = Math.sqrt(dx * dx + dy * dy);
  const steps = Math.max(1, Math.ceil(dist / ((kmh / 3.6) * b.intervalS)));
  for (let i = 1; i <= steps; i++) {
    b.t += b.intervalS * 1000;
    emit(b, lon0 + ((to[0] - lon0) * i) / steps, lat0 + ((to[1] - lat0) * i) / steps, kmh);
  }
  b.pos = to;
  return b;
}

/** Stand still for `seconds` (optionally with deterministic GPS jitter of up to `jitterM`). */
export function park(b: TrackBuilder, seconds: number, jitterM = 0): TrackBuilder {
  const n = Math.floor(seconds / b.intervalS);
  const [lon, lat] = b.pos;
  for (let i = 1; i <= n; i++) {
    b.t += b.intervalS * 1000;
    const j = jitterM * Math.sin(i * 1.7);
    const k = jitterM * Math.cos(i * 2.3);
    emit(b, lon + j / metersPerDegLon(lat), lat + k / 110_574, 0);
  }
  return b;
}

/** No fixes for `seconds` (tunnel, terminal off), then carry on from `to` (default: same place). */
export function gap(b: TrackBuilder, seconds: number, to?: LonLat): TrackBuilder {
  b.t += seconds * 1000;
  if (to) b.pos = to;
  emit(b, b.pos[0], b.pos[1], null);
  return b;
}

export function sensor(b: TrackBuilder, load: LoadState | null): TrackBuilder {
  b.sensorLoad = load;
  return b;
}

/** Fixes of several trucks merged into event-time order (ties: by vehicle id). */
export function mergeTracks(...tracks: TrackBuilder[]): RulesInput[] {
  return tracks
    .flatMap((b) => b.fixes)
    .sort((a, b) => a.t - b.t || a.vehicleId - b.vehicleId)
    .map((fix) => ({ kind: 'fix', fix }));
}

/** Run inputs through a fresh engine to the end; one incident per dedupe key, in key order. */
export function runInputs(
  world: World,
  inputs: Iterable<RulesInput>,
  state: EngineState = newEngineState(),
): { incidents: IncidentDraft[]; state: EngineState } {
  const byKey = new Map<string, IncidentDraft>();
  for (const input of inputs) foldDrafts(byKey, stepEngine(state, input, world).outputs);
  foldDrafts(byKey, flushEngine(state, world));
  const incidents = [...byKey.values()].sort((a, b) => (a.dedupeKey < b.dedupeKey ? -1 : 1));
  return { incidents, state };
}

/** An incident a scenario expects: its type, whom it names first, and a moment inside it. */
export interface ExpectedIncident {
  readonly type: IncidentDraft['type'];
  readonly vehicleId?: number;
  readonly cameraId?: number;
  /** A time within the incident (ms or ISO). */
  readonly at: number | string;
  /** Slack around the incident's interval; default 120 s. */
  readonly toleranceS?: number;
  /** A zone code the case must involve (its jurisdiction, or a zone its explanation names). */
  readonly zone?: string;
}

export interface Score {
  readonly precision: number;
  readonly recall: number;
  readonly missed: readonly ExpectedIncident[];
  readonly unexpected: readonly IncidentDraft[];
}

/** Match expected to produced incidents one to one (type, first-ranked vehicle, camera, time). */
export function scoreIncidents(
  expected: readonly ExpectedIncident[],
  actual: readonly IncidentDraft[],
): Score {
  const left = [...actual];
  const missed: ExpectedIncident[] = [];
  for (const e of expected) {
    const at = typeof e.at === 'number' ? e.at : Date.parse(e.at);
    const tol = (e.toleranceS ?? 120) * 1000;
    const i = left.findIndex(
      (d) =>
        d.type === e.type &&
        (e.vehicleId === undefined || d.vehicles[0]?.vehicleId === e.vehicleId) &&
        (e.cameraId === undefined || d.cameraId === e.cameraId) &&
        (e.zone === undefined || zonesOf(d).has(e.zone)) &&
        at >= d.startedAt - tol &&
        at <= (d.endedAt ?? Infinity) + tol, // no end yet: still going on
    );
    if (i < 0) missed.push(e);
    else left.splice(i, 1);
  }
  const hits = expected.length - missed.length;
  return {
    precision: actual.length === 0 ? (expected.length === 0 ? 1 : 0) : hits / actual.length,
    recall: expected.length === 0 ? 1 : hits / expected.length,
    missed,
    unexpected: left,
  };
}

/** Zone codes a case involves: its jurisdiction and every `code` its explanation names. */
export function zonesOf(d: IncidentDraft): Set<string> {
  const codes = new Set<string>(d.jurisdictionCode === null ? [] : [d.jurisdictionCode]);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'code' || k === 'route') && typeof x === 'string') codes.add(x);
        else walk(x);
      }
  };
  walk(d.explanation);
  return codes;
}

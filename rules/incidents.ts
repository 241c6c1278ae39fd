import type { IncidentType } from '../core/index.js';
import type { LonLat } from './geo.js';

/** A vehicle an incident is attributed to, with how sure the rules are and why. */
export interface LinkedVehicle {
  readonly vehicleId: number;
  readonly confidence: number;
  readonly reason: string;
}

/**
 * What a rule emits: an incident as the rules see it (no lifecycle). Emitting the same dedupe key
 * again updates that incident (merge), so every real-world event is one incident however often,
 * and from however many sources (GPS, camera), it is observed.
 */
export interface IncidentDraft {
  readonly dedupeKey: string;
  readonly type: IncidentType;
  readonly cameraId: number | null;
  readonly jurisdictionCode: string | null;
  readonly location: LonLat | null;
  /** Event time, ms since epoch. */
  readonly startedAt: number;
  readonly endedAt: number | null;
  /** Why it fired, one part per source: `gps` (rules) and/or `camera` (detection + link). */
  readonly explanation: Readonly<Record<string, unknown>>;
  readonly vehicles: readonly LinkedVehicle[];
}

/** Which type names a merged incident: the most specific finding wins. */
const PRIORITY: Readonly<Record<IncidentType, number>> = {
  cross_border_dumping: 7,
  unpermitted_stop: 6,
  dumping: 5,
  route_deviation: 4,
  off_hours: 3,
  uncovered_load: 2,
  dust: 1,
  street_vending: 0,
};

/** Merge a later observation of the same event into what is known. Deterministic in the order given. */
export function mergeDrafts(a: IncidentDraft, b: IncidentDraft): IncidentDraft {
  const lead = PRIORITY[b.type] > PRIORITY[a.type] ? b : a;
  const other = lead === a ? b : a;
  const vehicles = new Map<number, LinkedVehicle>();
  for (const v of [...a.vehicles, ...b.vehicles]) {
    const prev = vehicles.get(v.vehicleId);
    if (!prev || v.confidence > prev.confidence) vehicles.set(v.vehicleId, v);
  }
  return {
    dedupeKey: a.dedupeKey,
    type: lead.type,
    cameraId: a.cameraId ?? b.cameraId,
    jurisdictionCode: lead.jurisdictionCode ?? other.jurisdictionCode,
    location: lead.location ?? other.location,
    startedAt: Math.min(a.startedAt, b.startedAt),
    endedAt: a.endedAt === null ? b.endedAt : b.endedAt === null ? a.endedAt : Math.max(a.endedAt, b.endedAt),
    explanation: { ...a.explanation, ...b.explanation },
    vehicles: [...vehicles.values()].sort((x, y) => y.confidence - x.confidence || x.vehicleId - y.vehicleId),
  };
}

/** Fold a stream of drafts into one incident per dedupe key (what the store does, in memory). */
export function foldDrafts(into: Map<string, IncidentDraft>, drafts: Iterable<IncidentDraft>): void {
  for (const d of drafts) {
    const prev = into.get(d.dedupeKey);
    into.set(d.dedupeKey, prev ? mergeDrafts(prev, d) : d);
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** One line of JSON with sorted keys: the byte-for-byte form replay and live runs are compared in. */
export function canonicalIncident(d: IncidentDraft): string {
  return JSON.stringify(
    sortKeys({
      dedupeKey: d.dedupeKey,
      type: d.type,
      cameraId: d.cameraId,
      jurisdictionCode: d.jurisdictionCode,
      location: d.location,
      startedAt: new Date(d.startedAt).toISOString(),
      endedAt: d.endedAt === null ? null : new Date(d.endedAt).toISOString(),
      explanation: d.explanation,
      vehicles: d.vehicles,
    }),
  );
}

export const iso = (t: number): string => new Date(t).toISOString();

export function stopKey(vehicleId: number, startT: number): string {
  return `stop:v${vehicleId}:${iso(startT)}`;
}

/** A load belief as an explanation shows it (times as ISO). */
export function loadEvidence(l: {
  state: string;
  source: string;
  since: number;
  evidence: string;
}): Record<string, string> {
  return { state: l.state, source: l.source, since: iso(l.since), evidence: l.evidence };
}

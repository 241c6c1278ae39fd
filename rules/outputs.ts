import { distanceM, inPolygon, ringCenter } from './geo.js';
import type { IncidentDraft } from './incidents.js';
import type { World } from './world.js';

/**
 * Which cameras' recordings can show an incident: its own camera, and for GPS incidents every
 * camera whose footprint covers (or nearly covers) the place. Pure; the worker queues the clips.
 */
export function camerasFor(d: IncidentDraft, world: World): number[] {
  if (d.cameraId !== null) return [d.cameraId];
  const loc = d.location;
  if (!loc) return [];
  const out: number[] = [];
  for (const c of world.cameras.values()) {
    const fp = c.footprint;
    if (!fp?.[0]) continue;
    const [cx, cy] = ringCenter(fp[0]);
    if (inPolygon(loc[0], loc[1], fp) || distanceM(cx, cy, loc[0], loc[1]) <= world.params.mergeDistM)
      out.push(c.id);
  }
  return out.sort((a, b) => a - b);
}

/** Clip window: 10 s before the start to 20 s after the end (the evidence defaults). */
export function clipWindow(d: IncidentDraft): { from: string; to: string } {
  return {
    from: new Date(d.startedAt - 10_000).toISOString(),
    to: new Date((d.endedAt ?? d.startedAt) + 20_000).toISOString(),
  };
}

/** The message operators' consoles receive on the alerts channel. */
export function alertMessage(
  id: number,
  d: IncidentDraft,
  event: 'created' | 'updated',
): Record<string, unknown> {
  return {
    event,
    incidentId: id,
    dedupeKey: d.dedupeKey,
    type: d.type,
    status: 'reported',
    cameraId: d.cameraId,
    jurisdictionCode: d.jurisdictionCode,
    location: d.location,
    startedAt: new Date(d.startedAt).toISOString(),
    vehicles: d.vehicles.map((v) => v.vehicleId),
  };
}

export const alertsChannel = (prefix: string): string => `${prefix}:alerts`;

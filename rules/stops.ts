import { round1, roundCoord } from './geo.js';
import { iso, loadEvidence, stopKey, type IncidentDraft } from './incidents.js';
import { excerpt } from './track.js';
import type { Stay, VehicleState } from './vehicle-state.js';
import type { Fix, World } from './world.js';
import { edgeDistanceM, type Zone } from './zones.js';

/** Suspects older than this when the truck returns are dropped: "then back" means the same trip. */
const MAX_EXCURSION_MS = 24 * 3600_000;

function zoneRefs(zones: readonly Zone[]): { code: string; kind: string; name: string }[] {
  return zones.map((z) => ({ code: z.code, kind: z.kind, name: z.name }));
}

function homeCode(world: World): string | null {
  if (world.params.homeJurisdiction !== '') return world.params.homeJurisdiction;
  return world.homeZones[0]?.code ?? null;
}

/** The most local jurisdiction at a place (a district before its city). */
function jurisdictionAt(zones: readonly Zone[]): string | null {
  const j = zones.filter((z) => z.kind === 'jurisdiction');
  return (j.find((z) => z.parentCode !== null) ?? j[0])?.code ?? null;
}

/**
 * A confirmed stop just ended. If the truck came in loaded, stood still long enough to unload (or a
 * sensor saw it go empty) and the place is no licensed site, it is suspected dumping: at once when
 * inside home (unpermitted_stop), on the way back when outside (cross_border_dumping).
 */
export function evaluateStop(s: VehicleState, stay: Stay, world: World, out: IncidentDraft[]): void {
  const p = world.params;
  const lon = stay.sumLon / stay.n;
  const lat = stay.sumLat / stay.n;
  const zones = world.zones.at(lon, lat, stay.startT);
  if (zones.some((z) => z.kind === 'construction_site' || z.kind === 'disposal_site')) return;
  if (stay.loadAtStart.state !== 'loaded') return;
  const sensorStillLoaded =
    s.load.source === 'sensor' && s.load.state === 'loaded' && stay.sensorUnloadT === null;
  if (sensorStillLoaded) return;
  const stoodLongEnough = stay.longestDwellS >= p.unloadMinS;
  if (!stoodLongEnough && stay.sensorUnloadT === null) return;

  const inHome = zones.some((z) => z.kind === 'jurisdiction' && world.homeCodes.has(z.code));
  let edgeM = Infinity;
  for (const z of world.homeZones) edgeM = Math.min(edgeM, edgeDistanceM(z, lon, lat));
  // On the boundary line (within GPS error) counts as home: the stop is ours to handle.
  const away = world.homeZones.length > 0 && !inHome && edgeM > p.gpsErrorM;
  if (away && !stay.loadedInHomeAtStart) return;

  const gps = {
    rule: away ? 'cross_border_dumping' : 'unpermitted_stop',
    stop: {
      lon: roundCoord(lon),
      lat: roundCoord(lat),
      startedAt: iso(stay.startT),
      endedAt: iso(stay.lastT),
      durationS: (stay.lastT - stay.startT) / 1000,
      stoodStillS: stay.longestDwellS,
      fixes: stay.n,
    },
    zones: {
      atStop: zoneRefs(zones),
      home: [...world.homeCodes].sort(),
      insideHome: !away,
      homeBoundaryM: Number.isFinite(edgeM) ? round1(edgeM) : null,
      onBoundary: Number.isFinite(edgeM) && edgeM <= p.gpsErrorM,
    },
    load: {
      before: loadEvidence(stay.loadAtStart),
      loadedInHome: stay.loadedInHomeAtStart,
      unloadEvidence:
        stay.sensorUnloadT !== null
          ? `load sensor went loaded → empty at ${iso(stay.sensorUnloadT)}`
          : `stood still ${stay.longestDwellS} s ≥ ${p.unloadMinS} s (long enough to unload)`,
    },
    thresholds: {
      stopRadiusM: stay.radiusM,
      stopMinS: stay.minS,
      stopParamsFrom: stay.kind,
      unloadMinS: p.unloadMinS,
      standStillRadiusM: p.dwellRadiusM,
      gpsErrorM: p.gpsErrorM,
    },
  };
  const track = excerpt(s.history.fixes, stay.startT - 300_000, stay.lastT);
  const key = stopKey(s.vehicleId, stay.startT);
  if (away) {
    s.suspects.push({
      key,
      startT: stay.startT,
      endT: stay.lastT,
      lon,
      lat,
      sensorUnloadT: stay.sensorUnloadT,
      gps,
      track,
    });
  } else {
    out.push({
      dedupeKey: key,
      type: 'unpermitted_stop',
      cameraId: null,
      jurisdictionCode: jurisdictionAt(zones),
      location: [roundCoord(lon), roundCoord(lat)],
      startedAt: stay.startT,
      endedAt: stay.lastT,
      explanation: { gps: { ...gps, track } },
      vehicles: [{ vehicleId: s.vehicleId, confidence: 1, reason: 'the vehicle’s own GPS track' }],
    });
  }
  // Without a sensor we no longer know the load: a second stop must not count as a second unload.
  if (s.load.source !== 'sensor') {
    s.load = {
      state: 'unknown',
      source: 'inferred',
      since: stay.lastT,
      evidence: `after a suspected unload at ${key}`,
    };
  }
}

/** Back home: every suspect of this excursion fires, unless a sensor says the truck is still loaded. */
export function fireOnReturn(s: VehicleState, fix: Fix, world: World, out: IncidentDraft[]): void {
  for (const sus of s.suspects) {
    if (fix.t - sus.endT > MAX_EXCURSION_MS) continue;
    const stillLoaded = s.load.source === 'sensor' && s.load.state === 'loaded' && sus.sensorUnloadT === null;
    if (stillLoaded) continue;
    const back = excerpt(s.history.fixes, sus.endT + 1, fix.t, 20);
    out.push({
      dedupeKey: sus.key,
      type: 'cross_border_dumping',
      cameraId: null,
      jurisdictionCode: homeCode(world),
      location: [roundCoord(sus.lon), roundCoord(sus.lat)],
      startedAt: sus.startT,
      endedAt: sus.endT,
      explanation: {
        gps: {
          ...sus.gps,
          returned: {
            at: iso(fix.t),
            lon: roundCoord(fix.lon),
            lat: roundCoord(fix.lat),
            loadNow: loadEvidence(s.load),
          },
          track: [
            ...sus.track,
            ...back,
            [iso(fix.t), roundCoord(fix.lon), roundCoord(fix.lat), fix.speedKmh],
          ],
        },
      },
      vehicles: [{ vehicleId: s.vehicleId, confidence: 1, reason: 'the vehicle’s own GPS track' }],
    });
  }
  s.suspects = [];
}

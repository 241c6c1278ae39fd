export type { LoadInfo, Stay, StopRecord, VehicleState, Episode, Suspect } from './vehicle-state.js';
import type { ZoneKind } from '../core/index.js';
import { distanceM } from './geo.js';
import type { IncidentDraft } from './incidents.js';
import { stepEpisodes } from './episodes.js';
import { evaluateStop, fireOnReturn } from './stops.js';
import type { Stay, VehicleState } from './vehicle-state.js';
import { pushHistory } from './track.js';
import type { Fix, VehicleInfo, World } from './world.js';
import { edgeDistanceM, type Zone } from './zones.js';

export function newVehicleState(vehicleId: number): VehicleState {
  return {
    vehicleId,
    last: null,
    history: { fixes: [] },
    stay: null,
    load: { state: 'unknown', source: 'none', since: 0, evidence: 'no load information yet' },
    loadedInHome: false,
    side: null,
    suspects: [],
    recentStops: [],
    deviation: null,
    offHours: null,
  };
}

const KIND_PRIORITY: readonly ZoneKind[] = [
  'disposal_site',
  'construction_site',
  'restricted',
  'no_vending',
  'approved_route',
  'jurisdiction',
];

function stopParams(
  here: readonly Zone[],
  world: World,
): { radiusM: number; minS: number; kind: ZoneKind | 'default' } {
  for (const kind of KIND_PRIORITY) {
    const p = world.params.stopByKind[kind];
    if (p && here.some((z) => z.kind === kind)) return { ...p, kind };
  }
  return { ...world.params.stop, kind: 'default' };
}

function newStay(fix: Fix, here: readonly Zone[], s: VehicleState, world: World): Stay {
  return {
    ...stopParams(here, world),
    startT: fix.t,
    lastT: fix.t,
    anchorLon: fix.lon,
    anchorLat: fix.lat,
    sumLon: fix.lon,
    sumLat: fix.lat,
    n: 1,
    confirmed: false,
    dwellT: fix.t,
    dwellLon: fix.lon,
    dwellLat: fix.lat,
    longestDwellS: 0,
    loadAtStart: s.load,
    loadedInHomeAtStart: s.loadedInHome,
    sensorUnloadT: null,
  };
}

function applySensor(s: VehicleState, fix: Fix): void {
  if (fix.sensorLoad === null) return;
  const state = fix.sensorLoad === 'empty' ? 'empty' : 'loaded';
  if (s.load.source === 'sensor' && s.load.state === state) return;
  if (s.stay && s.load.state === 'loaded' && state === 'empty') s.stay.sensorUnloadT = fix.t;
  s.load = { state, source: 'sensor', since: fix.t, evidence: `load sensor reported ${fix.sensorLoad}` };
}

/** A stay that lasted long enough is a stop: a stop in a site tells us the load when no sensor does. */
function onStopConfirmed(s: VehicleState, stay: Stay, here: readonly Zone[]): void {
  if (s.load.source === 'sensor') return;
  const site =
    here.find((z) => z.kind === 'construction_site') ?? here.find((z) => z.kind === 'disposal_site');
  if (!site) return;
  const state = site.kind === 'construction_site' ? 'loaded' : 'empty';
  s.load = {
    state,
    source: 'inferred',
    since: stay.startT,
    evidence: `stopped at ${site.kind} ${site.code} (${site.name}) from ${new Date(stay.startT).toISOString()}`,
  };
}

function stepStay(
  s: VehicleState,
  fix: Fix,
  here: readonly Zone[],
  world: World,
  out: IncidentDraft[],
): void {
  const stay = s.stay;
  if (!stay) {
    s.stay = newStay(fix, here, s, world);
    return;
  }
  const d = distanceM(stay.anchorLon, stay.anchorLat, fix.lon, fix.lat);
  if (d <= stay.radiusM) {
    stay.lastT = fix.t;
    stay.sumLon += fix.lon;
    stay.sumLat += fix.lat;
    stay.n += 1;
    if (distanceM(stay.dwellLon, stay.dwellLat, fix.lon, fix.lat) <= world.params.dwellRadiusM) {
      stay.longestDwellS = Math.max(stay.longestDwellS, (fix.t - stay.dwellT) / 1000);
    } else {
      stay.dwellT = fix.t;
      stay.dwellLon = fix.lon;
      stay.dwellLat = fix.lat;
    }
    if (!stay.confirmed && fix.t - stay.startT >= stay.minS * 1000) {
      stay.confirmed = true;
      const c = world.zones.at(stay.sumLon / stay.n, stay.sumLat / stay.n, stay.startT);
      onStopConfirmed(s, stay, c);
    }
    return;
  }
  // Left the stay: a confirmed stop ends at its last fix inside; otherwise it was just passing.
  if (stay.confirmed) {
    const lon = stay.sumLon / stay.n;
    const lat = stay.sumLat / stay.n;
    s.recentStops.push({ startT: stay.startT, endT: stay.lastT, lon, lat });
    if (s.recentStops.length > 8) s.recentStops.shift();
    evaluateStop(s, stay, world, out);
  }
  s.stay = newStay(fix, here, s, world);
}

function stepSide(
  s: VehicleState,
  fix: Fix,
  here: readonly Zone[],
  world: World,
  out: IncidentDraft[],
): void {
  if (world.homeZones.length === 0) return;
  const inside = here.some((z) => z.kind === 'jurisdiction' && world.homeCodes.has(z.code));
  if (s.side === null) s.side = inside ? 'home' : 'away';
  else if ((s.side === 'home') !== inside) {
    // Only a crossing clear of the GPS margin counts.
    let edgeM = Infinity;
    for (const z of world.homeZones) edgeM = Math.min(edgeM, edgeDistanceM(z, fix.lon, fix.lat));
    if (edgeM > world.params.gpsErrorM) {
      s.side = inside ? 'home' : 'away';
      if (inside) fireOnReturn(s, fix, world, out);
    }
  }
  if (s.load.state !== 'loaded') s.loadedInHome = false;
  else if (s.side === 'home') s.loadedInHome = true;
}

/** One fix in event-time order → the incidents it completes. Pure: no clock, no I/O. */
export function stepVehicle(
  s: VehicleState,
  fix: Fix,
  info: VehicleInfo | undefined,
  world: World,
): { state: VehicleState; outputs: IncidentDraft[] } {
  const out: IncidentDraft[] = [];
  const here = world.zones.at(fix.lon, fix.lat, fix.t);
  applySensor(s, fix);
  stepStay(s, fix, here, world, out);
  stepSide(s, fix, here, world, out);
  stepEpisodes(s, fix, info, world, out);
  pushHistory(s.history, fix, world.params.historyS);
  s.last = fix;
  return { state: s, outputs: out };
}

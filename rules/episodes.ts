import { distanceM, round1, roundCoord } from './geo.js';
import { iso, loadEvidence, type IncidentDraft } from './incidents.js';
import { isWithin, localTime } from './schedule.js';
import { excerpt } from './track.js';
import type { Episode, VehicleState } from './vehicle-state.js';
import type { Fix, VehicleInfo, World } from './world.js';
import { corridorExcessM } from './zones.js';

const self = (id: number, why: string): { vehicleId: number; confidence: number; reason: string }[] => [
  { vehicleId: id, confidence: 1, reason: why },
];

function isMoving(s: VehicleState, fix: Fix, movingKmh: number): boolean {
  if (fix.speedKmh !== null) return fix.speedKmh >= movingKmh;
  const last = s.last;
  if (!last || fix.t <= last.t) return false;
  const kmh = (distanceM(last.lon, last.lat, fix.lon, fix.lat) / ((fix.t - last.t) / 1000)) * 3.6;
  return kmh >= movingKmh;
}

function routeDraft(s: VehicleState, e: Episode, code: string, world: World, ended: boolean): IncidentDraft {
  const p = world.params;
  return {
    dedupeKey: `route_deviation:v${s.vehicleId}:${iso(e.startT)}`,
    type: 'route_deviation',
    cameraId: null,
    jurisdictionCode: null,
    location: [roundCoord(e.startLon), roundCoord(e.startLat)],
    startedAt: e.startT,
    endedAt: ended ? e.lastT : null,
    explanation: {
      gps: {
        rule: 'route_deviation',
        route: code,
        maxOutsideCorridorM: round1(e.maxM),
        outsideS: (e.lastT - e.startT) / 1000,
        ended,
        load: loadEvidence(s.load),
        thresholds: { outsideCorridorM: p.routeDeviationM, forS: p.routeDeviationS },
        track: excerpt(s.history.fixes, e.startT - 60_000, e.lastT),
      },
    },
    vehicles: self(s.vehicleId, 'the vehicle’s own GPS track'),
  };
}

function offHoursDraft(
  s: VehicleState,
  e: Episode,
  info: VehicleInfo,
  world: World,
  ended: boolean,
): IncidentDraft {
  const ph = info.permittedHours;
  const lt = localTime(e.startT, ph?.tz ?? 'Asia/Shanghai');
  const hhmm = `${String(Math.floor(lt.minute / 60)).padStart(2, '0')}:${String(lt.minute % 60).padStart(2, '0')}`;
  return {
    dedupeKey: `off_hours:v${s.vehicleId}:${iso(e.startT)}`,
    type: 'off_hours',
    cameraId: null,
    jurisdictionCode: null,
    location: [roundCoord(e.startLon), roundCoord(e.startLat)],
    startedAt: e.startT,
    endedAt: ended ? e.lastT : null,
    explanation: {
      gps: {
        rule: 'off_hours',
        permittedHours: ph,
        startedLocal: `${hhmm} (ISO weekday ${lt.isoDay})`,
        movingS: (e.lastT - e.startT) / 1000,
        ended,
        load: loadEvidence(s.load),
        thresholds: { minS: world.params.offHoursMinS, movingKmh: world.params.movingKmh },
        track: excerpt(s.history.fixes, e.startT, e.lastT),
      },
    },
    vehicles: self(s.vehicleId, 'the vehicle’s own GPS track'),
  };
}

function open(fix: Fix, m: number): Episode {
  return { startT: fix.t, startLon: fix.lon, startLat: fix.lat, lastT: fix.t, maxM: m, fired: false };
}

/** route_deviation and off_hours for one fix (loaded trucks only). */
export function stepEpisodes(
  s: VehicleState,
  fix: Fix,
  info: VehicleInfo | undefined,
  world: World,
  out: IncidentDraft[],
): void {
  const p = world.params;
  const loaded = s.load.state === 'loaded';
  const route = info?.approvedRouteId != null ? world.zones.byZoneId(info.approvedRouteId) : undefined;
  if (route) {
    const excess = loaded ? corridorExcessM(route, fix.lon, fix.lat) : 0;
    const e = s.deviation;
    if (excess > p.routeDeviationM) {
      if (!e) s.deviation = open(fix, excess);
      else {
        e.lastT = fix.t;
        e.maxM = Math.max(e.maxM, excess);
        if (!e.fired && e.lastT - e.startT > p.routeDeviationS * 1000) {
          e.fired = true;
          out.push(routeDraft(s, e, route.code, world, false));
        }
      }
    } else if (e) {
      if (e.fired) out.push(routeDraft(s, e, route.code, world, true));
      s.deviation = null;
    }
  }
  const ph = info?.permittedHours;
  if (info && ph) {
    const e = s.offHours;
    const outside = loaded && !isWithin(ph, fix.t);
    if (outside && isMoving(s, fix, p.movingKmh)) {
      if (!e) s.offHours = open(fix, 0);
      else {
        e.lastT = fix.t;
        if (!e.fired && e.lastT - e.startT >= p.offHoursMinS * 1000) {
          e.fired = true;
          out.push(offHoursDraft(s, e, info, world, false));
        }
      }
    } else if (e && !outside) {
      if (e.fired) out.push(offHoursDraft(s, e, info, world, true));
      s.offHours = null;
    }
  }
}

import {
  axisAngleDiff,
  bboxOf,
  bearingDeg,
  boundaryDistanceM,
  distanceM,
  expandBBox,
  inBBox,
  inPolygon,
  round1,
} from './geo.js';
import type { LinkedVehicle } from './incidents.js';
import { lastAtOrBefore } from './track.js';
import type { VehicleState } from './vehicle.js';
import type { CameraInfo, CameraObservation, Fix, World } from './world.js';

/** A truck that may be the one a camera saw, with the numbers behind its confidence. */
export interface LinkCandidate extends LinkedVehicle {
  readonly lon: number;
  readonly lat: number;
  readonly outsideFootprintM: number;
  readonly fixGapS: number;
  readonly headingDiffDeg: number | null;
  /** Degrees between where the picture shows the finding and where the GPS puts the truck. */
  readonly imageOffDeg: number | null;
}

/** A fix this far from the detection time may stand in for an interpolated position. */
const MAX_EXTRAPOLATE_MS = 30_000;
/** Bracketing fixes further apart than this say too little about where the truck was. */
const MAX_GAP_MS = 600_000;

const r2 = (v: number): number => Math.round(v * 100) / 100;
const RAD = Math.PI / 180;
/** Signed a − b in (−180, 180]. */
const signedDiff = (a: number, b: number): number => {
  const d = (((a - b) % 360) + 360) % 360;
  return d > 180 ? d - 360 : d;
};

/**
 * How well the truck's position agrees with where in the picture the finding is: the box's
 * centre across the frame is a direction from the camera (pinhole model over the horizontal
 * field of view), the GPS position another. They are compared in degrees, against the angle
 * that the truck's position uncertainty (half the GPS error bound plus a tenth of the distance
 * between its fixes) spans at its distance. Null when the camera's heading, its position or the
 * box's place is unknown.
 */
function imageAgreement(
  obs: CameraObservation,
  camera: CameraInfo,
  pos: { lon: number; lat: number },
  sigmaM: number,
): { score: number; offDeg: number; seenDeg: number; gpsDeg: number } | null {
  const heading = camera.viewHeadingDeg;
  if (obs.imageX === undefined || obs.imageX === null || heading === undefined || heading === null)
    return null;
  if (!camera.position) return null;
  const [cLon, cLat] = camera.position;
  const halfFov = ((camera.hfovDeg ?? 60) / 2) * RAD;
  const seenDeg = Math.atan((obs.imageX - 0.5) * 2 * Math.tan(halfFov)) / RAD;
  const gpsDeg = signedDiff(bearingDeg(cLon, cLat, pos.lon, pos.lat), heading);
  const d = Math.max(1, distanceM(cLon, cLat, pos.lon, pos.lat));
  const sigmaDeg = Math.atan(sigmaM / d) / RAD;
  const offDeg = Math.abs(signedDiff(seenDeg, gpsDeg));
  return { score: Math.max(0.3, Math.exp(-0.5 * (offDeg / sigmaDeg) ** 2)), offDeg, seenDeg, gpsDeg };
}

function positionAt(fixes: readonly Fix[], t: number): { lon: number; lat: number; a: Fix; b: Fix } | null {
  const i = lastAtOrBefore(fixes, t);
  const a = fixes[i];
  const b = fixes[i + 1];
  if (a && b) {
    if (b.t - a.t > MAX_GAP_MS) return null;
    const f = b.t === a.t ? 0 : (t - a.t) / (b.t - a.t);
    return { lon: a.lon + (b.lon - a.lon) * f, lat: a.lat + (b.lat - a.lat) * f, a, b };
  }
  const only = a ?? b;
  if (!only || Math.abs(only.t - t) > MAX_EXTRAPOLATE_MS) return null;
  return { lon: only.lon, lat: only.lat, a: only, b: only };
}

/**
 * Which trucks' GPS tracks put them in the camera's view at the detection time: interpolated
 * between the fixes around it, allowed the GPS error plus a share of the distance between those
 * fixes (the truck need not have driven straight), scored down for long gaps, a heading across the
 * road, a position away from where the picture shows the finding, and (for load findings) a truck
 * known to be empty. Ranked, best first; all kept.
 */
export function linkObservation(
  obs: CameraObservation,
  camera: CameraInfo,
  vehicles: Iterable<VehicleState>,
  world: World,
): LinkCandidate[] {
  const footprint = camera.footprint;
  if (!footprint) return [];
  const outer = footprint[0] ?? [];
  const box = expandBBox(bboxOf(outer), world.params.gpsErrorM + 500);
  const out: LinkCandidate[] = [];
  for (const v of vehicles) {
    const last = v.last;
    if (!last || !inBBox(last.lon, last.lat, expandBBox(box, 20_000))) continue;
    const pos = positionAt(v.history.fixes, obs.t);
    if (!pos || !inBBox(pos.lon, pos.lat, box)) continue;
    const { a, b } = pos;
    const stepM = distanceM(a.lon, a.lat, b.lon, b.lat);
    const marginM = world.params.gpsErrorM + 0.25 * stepM;
    const outsideM = inPolygon(pos.lon, pos.lat, footprint)
      ? 0
      : boundaryDistanceM(pos.lon, pos.lat, [footprint]);
    if (outsideM > marginM) continue;
    const gapS = Math.max((b.t - a.t) / 1000, Math.abs(a.t - obs.t) / 1000);
    const spatial = outsideM === 0 ? 1 : 0.5 * (1 - outsideM / marginM) + 0.3;
    const temporal = gapS <= 30 ? 1 : Math.max(0.3, 1 - (gapS - 30) / 600);
    let headingDiff: number | null = null;
    let heading = 1;
    const moving = stepM >= 10 || (a.speedKmh ?? 0) >= world.params.movingKmh;
    if (camera.roadHeadingDeg !== null && moving) {
      const h = stepM >= 10 ? bearingDeg(a.lon, a.lat, b.lon, b.lat) : (a.headingDeg ?? null);
      if (h !== null) {
        headingDiff = round1(axisAngleDiff(h, camera.roadHeadingDeg));
        heading = headingDiff <= 30 ? 1 : headingDiff <= 60 ? 0.7 : 0.4;
      }
    }
    const loadScore =
      obs.type === 'uncovered_load' || obs.type === 'dust'
        ? v.load.state === 'loaded'
          ? 1
          : v.load.state === 'unknown'
            ? 0.85
            : 0.6
        : 1;
    // Tipping takes a standing truck: one driving through the view while it happens is less likely.
    const motionScore = obs.type === 'dumping' && moving ? 0.5 : 1;
    const image = imageAgreement(obs, camera, pos, world.params.gpsErrorM / 2 + 0.1 * stepM);
    const imageScore = image?.score ?? 1;
    const confidence = r2(spatial * temporal * heading * loadScore * motionScore * imageScore);
    if (confidence < world.params.minLinkConfidence) continue;
    const where =
      outsideM === 0
        ? 'inside the footprint'
        : `${round1(outsideM)} m outside the footprint (margin ${round1(marginM)} m)`;
    const reason =
      `GPS track ${a === b ? 'nearest fix' : 'interpolated'} ${where} of camera ${camera.code} at the detection time; ` +
      `fixes ${round1(gapS)} s apart` +
      (headingDiff === null ? '' : `; heading ${headingDiff}° off the road axis`) +
      (image === null
        ? ''
        : `; seen ${round1(image.seenDeg)}° from the camera axis, GPS position at ${round1(image.gpsDeg)}°`) +
      (loadScore < 1 ? `; load ${v.load.state}` : '') +
      (motionScore < 1 ? '; moving while the dumping was seen' : '');
    out.push({
      vehicleId: v.vehicleId,
      confidence,
      reason,
      lon: pos.lon,
      lat: pos.lat,
      outsideFootprintM: round1(outsideM),
      fixGapS: round1(gapS),
      headingDiffDeg: headingDiff,
      imageOffDeg: image === null ? null : round1(image.offDeg),
    });
  }
  return out.sort((x, y) => y.confidence - x.confidence || x.vehicleId - y.vehicleId);
}

/** Ambiguous when a runner-up is nearly as likely as the best: the case then names them all. */
export function isAmbiguous(c: readonly LinkCandidate[]): boolean {
  const [first, second] = c;
  return !!first && !!second && first.confidence - second.confidence < 0.15;
}

/** The stop (ongoing or recent) of a vehicle that a dumping detection at (lon, lat, t) belongs to. */
export function stopNear(
  v: VehicleState,
  lon: number,
  lat: number,
  t: number,
  world: World,
): { startT: number } | null {
  const slack = world.params.mergeSlackS * 1000;
  const stays = [...v.recentStops];
  if (v.stay) {
    const st = v.stay;
    stays.push({ startT: st.startT, endT: st.lastT, lon: st.sumLon / st.n, lat: st.sumLat / st.n });
  }
  for (let i = stays.length - 1; i >= 0; i--) {
    const s = stays[i];
    if (!s || s.endT - s.startT < 60_000) continue;
    if (t < s.startT - slack || t > s.endT + slack) continue;
    if (distanceM(s.lon, s.lat, lon, lat) <= world.params.mergeDistM) return { startT: s.startT };
  }
  return null;
}

import { ringCenter, roundCoord, type LonLat } from './geo.js';
import { iso, stopKey, type IncidentDraft } from './incidents.js';
import { isAmbiguous, linkObservation, stopNear } from './linking.js';
import type { VehicleState } from './vehicle.js';
import type { CameraObservation, World } from './world.js';

/**
 * A camera finding as an incident: linked to the trucks in view (ranked), placed at the camera,
 * and — for dumping — merged with the GPS stop of a linked truck at the same place and time, so the
 * camera and the GPS rules report one case.
 */
export function cameraIncident(
  obs: CameraObservation,
  vehicles: ReadonlyMap<number, VehicleState>,
  world: World,
): IncidentDraft | null {
  const camera = world.cameras.get(obs.cameraId);
  if (!camera) return null;
  const place: LonLat | null =
    camera.footprint?.[0] !== undefined ? ringCenter(camera.footprint[0]) : (camera.position ?? null);
  const zones = place ? world.zones.at(place[0], place[1], obs.t) : [];
  if (obs.type === 'street_vending') {
    // Vending is an offence only in a (currently active) no-vending zone, where any are drawn.
    const anyNoVending = world.zones.zones.some((z) => z.kind === 'no_vending');
    if (anyNoVending && !zones.some((z) => z.kind === 'no_vending')) return null;
  }
  const candidates =
    obs.type === 'street_vending' ? [] : linkObservation(obs, camera, vehicles.values(), world);
  let key = `camera:c${obs.cameraId}:${obs.type}:${iso(obs.t)}`;
  let mergedWith: string | null = null;
  if (obs.type === 'dumping' && place) {
    for (const c of candidates) {
      const v = vehicles.get(c.vehicleId);
      const stop = v ? stopNear(v, place[0], place[1], obs.t, world) : null;
      if (stop) {
        key = stopKey(c.vehicleId, stop.startT);
        mergedWith = key;
        break;
      }
    }
  }
  const juris = zones.filter((z) => z.kind === 'jurisdiction');
  return {
    dedupeKey: key,
    type: obs.type,
    cameraId: obs.cameraId,
    jurisdictionCode:
      camera.jurisdictionCode ?? (juris.find((z) => z.parentCode !== null) ?? juris[0])?.code ?? null,
    location: place ? [roundCoord(place[0]), roundCoord(place[1])] : null,
    startedAt: obs.t,
    endedAt: obs.endT,
    explanation: {
      camera: {
        camera: camera.code,
        detection: obs.type,
        confidence: obs.confidence,
        trackIds: obs.trackIds,
        ...(obs.imageX === undefined || obs.imageX === null ? {} : { imageX: obs.imageX }),
        at: iso(obs.t),
        zones: zones.map((z) => ({ code: z.code, kind: z.kind })),
        link: {
          candidates: candidates.map((c) => ({
            vehicleId: c.vehicleId,
            confidence: c.confidence,
            lon: roundCoord(c.lon),
            lat: roundCoord(c.lat),
            outsideFootprintM: c.outsideFootprintM,
            fixGapS: c.fixGapS,
            headingDiffDeg: c.headingDiffDeg,
            ...(c.imageOffDeg === null ? {} : { imageOffDeg: c.imageOffDeg }),
          })),
          ambiguous: isAmbiguous(candidates),
          gpsErrorM: world.params.gpsErrorM,
          minConfidence: world.params.minLinkConfidence,
        },
        mergedWithGpsStop: mergedWith,
      },
    },
    vehicles: candidates.map((c) => ({ vehicleId: c.vehicleId, confidence: c.confidence, reason: c.reason })),
  };
}

import type { ZoneKind } from '../core/index.js';
import type { LonLat, Polygon } from './geo.js';
import { DEFAULT_PARAMS, type RulesParams } from './params.js';
import type { Schedule } from './schedule.js';
import { buildWorld, type CameraInfo, type VehicleInfo, type World } from './world.js';
import type { Zone } from './zones.js';

/**
 * A small, fixed geography for unit tests and benchmarks:
 * home city HOME = lon 120.0–120.2, lat 30.0–30.2; neighbour NEXT = lon 120.2–120.4.
 * CS1 construction site in HOME, DS_HOME disposal site in HOME, DS_NEXT disposal site in NEXT,
 * R1 an approved route along lat 30.05 from CS1 to DS_HOME's longitude, camera 7 on that road.
 */
export const P = {
  cs1: [120.05, 30.05] as LonLat,
  dsHome: [120.1, 30.15] as LonLat,
  dsNext: [120.3, 30.1] as LonLat,
  homeMid: [120.1, 30.05] as LonLat,
  nextMid: [120.3, 30.05] as LonLat,
  camera: [120.08, 30.05] as LonLat,
};

export function square(c: LonLat, halfDeg: number): Polygon {
  return [
    [
      [c[0] - halfDeg, c[1] - halfDeg],
      [c[0] + halfDeg, c[1] - halfDeg],
      [c[0] + halfDeg, c[1] + halfDeg],
      [c[0] - halfDeg, c[1] + halfDeg],
    ],
  ];
}

export function zone(
  id: number,
  code: string,
  kind: ZoneKind,
  polygons: Polygon[],
  extra: Partial<Zone> = {},
): Zone {
  return {
    id,
    code,
    kind,
    name: code,
    parentCode: null,
    polygons,
    line: null,
    widthM: null,
    schedule: null,
    properties: {},
    ...extra,
  };
}

export const TEST_ZONES: Zone[] = [
  zone(1, 'HOME', 'jurisdiction', [square([120.1, 30.1], 0.1)], { properties: { home: true } }),
  zone(2, 'NEXT', 'jurisdiction', [square([120.3, 30.1], 0.1)]),
  zone(3, 'CS1', 'construction_site', [square(P.cs1, 0.002)]),
  zone(4, 'DS_HOME', 'disposal_site', [square(P.dsHome, 0.002)]),
  zone(5, 'DS_NEXT', 'disposal_site', [square(P.dsNext, 0.002)]),
  zone(6, 'R1', 'approved_route', [], {
    line: [P.cs1, [120.1, 30.05], P.dsHome],
    widthM: 60,
  }),
];

/** Monday 2026-03-02 08:00 Asia/Shanghai. */
export const T0 = Date.parse('2026-03-02T00:00:00Z');

export const DAYTIME: Schedule = { tz: 'Asia/Shanghai', windows: [{ from: '06:00', to: '22:00' }] };

export function vehicle(id: number, extra: Partial<VehicleInfo> = {}): VehicleInfo {
  return {
    id,
    plate: `浙A${String(id).padStart(5, '0')}`,
    approvedRouteId: null,
    permittedHours: null,
    loadSensor: false,
    ...extra,
  };
}

export const CAMERA: CameraInfo = {
  id: 7,
  code: 'CAM-7',
  position: [120.08, 30.0497],
  footprint: square(P.camera, 0.0005),
  roadHeadingDeg: 90,
  jurisdictionCode: null,
};

export function testWorld(
  vehicles: VehicleInfo[] = [vehicle(1), vehicle(2)],
  params: Partial<RulesParams> = {},
  zones: Zone[] = TEST_ZONES,
): World {
  return buildWorld(zones, vehicles, [CAMERA], { ...DEFAULT_PARAMS, ...params });
}

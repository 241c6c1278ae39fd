import type { ZoneKind } from '../core/index.js';
import { metersPerDegLon, type LonLat, type Polygon } from './geo.js';
import { DEFAULT_PARAMS } from './params.js';
import { buildWorld, type CameraInfo, type Fix, type VehicleInfo, type World } from './world.js';
import type { Zone } from './zones.js';

/**
 * A deterministic synthetic city and fleet for benchmarks and soak tests: a home jurisdiction with
 * eight neighbours, construction and disposal sites, approved routes and other zones, and trucks
 * that shuttle between sites (stopping there) at one fix per interval.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CENTER: LonLat = [120.2, 30.1];
const KX = metersPerDegLon(CENTER[1]);
const KY = 110_574;
const at = (dxM: number, dyM: number): LonLat => [CENTER[0] + dxM / KX, CENTER[1] + dyM / KY];
const sq = (c: LonLat, halfM: number): Polygon => [
  [
    [c[0] - halfM / KX, c[1] - halfM / KY],
    [c[0] + halfM / KX, c[1] - halfM / KY],
    [c[0] + halfM / KX, c[1] + halfM / KY],
    [c[0] - halfM / KX, c[1] + halfM / KY],
  ],
];

function annulusSector(r0: number, r1: number, a0: number, a1: number, n: number): Polygon {
  const ring: LonLat[] = [];
  for (let i = 0; i <= n; i++) {
    const a = a0 + ((a1 - a0) * i) / n;
    ring.push(at(r1 * Math.sin(a), r1 * Math.cos(a)));
  }
  for (let i = n; i >= 0; i--) {
    const a = a0 + ((a1 - a0) * i) / n;
    ring.push(at(r0 * Math.sin(a), r0 * Math.cos(a)));
  }
  return [ring];
}

export interface SyntheticCity {
  readonly world: World;
  readonly sites: readonly LonLat[];
}

export function syntheticCity(
  opts: { zones?: number; vehicles?: number; seed?: number } = {},
): SyntheticCity {
  const rnd = prng(opts.seed ?? 1);
  const nZones = opts.zones ?? 1000;
  const homeR = 25_000;
  const zones: Zone[] = [];
  const add = (kind: ZoneKind, polygons: Polygon[], extra: Partial<Zone> = {}): void => {
    const id = zones.length + 1;
    zones.push({
      id,
      code: `${kind}-${id}`,
      kind,
      name: `${kind} ${id}`,
      parentCode: null,
      polygons,
      line: null,
      widthM: null,
      schedule: null,
      properties: {},
      ...extra,
    });
  };
  const circle: LonLat[] = [];
  for (let i = 0; i < 256; i++)
    circle.push(at(homeR * Math.sin((i / 256) * 2 * Math.PI), homeR * Math.cos((i / 256) * 2 * Math.PI)));
  add('jurisdiction', [[circle]], { properties: { home: true } });
  for (let k = 0; k < 8; k++)
    add('jurisdiction', [annulusSector(homeR, homeR * 2.5, (k * Math.PI) / 4, ((k + 1) * Math.PI) / 4, 32)]);
  const sites: LonLat[] = [];
  const randomPlace = (maxR: number): LonLat => {
    const r = Math.sqrt(rnd()) * maxR;
    const a = rnd() * 2 * Math.PI;
    return at(r * Math.sin(a), r * Math.cos(a));
  };
  const rest = nZones - zones.length;
  const nCs = Math.round(rest * 0.5);
  const nDs = Math.round(rest * 0.3);
  const nRoutes = Math.round(rest * 0.1);
  for (let i = 0; i < nCs; i++) {
    const c = randomPlace(homeR * 0.95);
    sites.push(c);
    add('construction_site', [sq(c, 80)]);
  }
  for (let i = 0; i < nDs; i++) {
    const c = randomPlace(homeR * 1.6);
    sites.push(c);
    add('disposal_site', [sq(c, 100)]);
  }
  for (let i = 0; i < nRoutes; i++) {
    const line: LonLat[] = [randomPlace(homeR)];
    for (let j = 0; j < 9; j++) {
      const p = line[line.length - 1] as LonLat;
      line.push([p[0] + ((rnd() - 0.5) * 3000) / KX, p[1] + ((rnd() - 0.5) * 3000) / KY]);
    }
    add('approved_route', [], { line, widthM: 60 });
  }
  while (zones.length < nZones) add(rnd() < 0.5 ? 'no_vending' : 'restricted', [sq(randomPlace(homeR), 150)]);
  const routeIds = zones.filter((z) => z.kind === 'approved_route').map((z) => z.id);
  const vehicles: VehicleInfo[] = [];
  for (let id = 1; id <= (opts.vehicles ?? 5000); id++) {
    vehicles.push({
      id,
      plate: `SYN${id}`,
      approvedRouteId: id % 10 === 0 ? (routeIds[id % routeIds.length] ?? null) : null,
      permittedHours:
        id % 5 === 0 ? { tz: 'Asia/Shanghai', windows: [{ from: '22:00', to: '06:00' }] } : null,
      loadSensor: id % 10 === 1,
    });
  }
  const cameras: CameraInfo[] = sites.slice(0, 200).map((s, i) => ({
    id: i + 1,
    code: `CAM-${i + 1}`,
    position: s,
    footprint: sq(s, 60),
    roadHeadingDeg: 90,
    jurisdictionCode: null,
  }));
  return { world: buildWorld(zones, vehicles, cameras, DEFAULT_PARAMS), sites };
}

interface Mover {
  pos: LonLat;
  target: LonLat;
  parkTicks: number;
}

/**
 * Fleet movement, one tick (interval) at a time: every vehicle's next fix. Trucks drive at
 * 36–54 km/h to a site, stand there 2–15 min, pick the next. Deterministic for a seed.
 */
export function* fleetTicks(
  city: SyntheticCity,
  t0: number,
  ticks: number,
  intervalS = 10,
  seed = 2,
): Generator<Fix[]> {
  const rnd = prng(seed);
  const sites = city.sites;
  const pick = (): LonLat => sites[Math.floor(rnd() * sites.length)] as LonLat;
  const ids = [...city.world.vehicles.keys()];
  const movers: Mover[] = ids.map(() => ({ pos: pick(), target: pick(), parkTicks: Math.floor(rnd() * 60) }));
  for (let k = 0; k < ticks; k++) {
    const t = t0 + k * intervalS * 1000;
    const out: Fix[] = new Array<Fix>(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const m = movers[i] as Mover;
      let speed = 0;
      if (m.parkTicks > 0) m.parkTicks--;
      else {
        const dx = (m.target[0] - m.pos[0]) * KX;
        const dy = (m.target[1] - m.pos[1]) * KY;
        const d = Math.sqrt(dx * dx + dy * dy);
        speed = 36 + (i % 4) * 6;
        const step = (speed / 3.6) * intervalS;
        if (d <= step) {
          m.pos = m.target;
          m.target = pick();
          m.parkTicks = Math.round((120 + rnd() * 780) / intervalS);
        } else m.pos = [m.pos[0] + (dx / d) * (step / KX), m.pos[1] + (dy / d) * (step / KY)];
      }
      const jitter = (rnd() - 0.5) * 8;
      out[i] = {
        vehicleId: ids[i] as number,
        t,
        lon: m.pos[0] + jitter / KX,
        lat: m.pos[1] + jitter / KY,
        speedKmh: speed,
        headingDeg: null,
        sensorLoad: null,
      };
    }
    yield out;
  }
}

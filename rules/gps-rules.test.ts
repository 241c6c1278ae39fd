import { describe, expect, it } from 'vitest';
import { drive, gap, mergeTracks, park, runInputs, sensor, track, type TrackBuilder } from './scenario.js';
import { DAYTIME, P, T0, testWorld, vehicle } from './test-world.js';
import { iso, type IncidentDraft } from './incidents.js';
import { distanceM } from './geo.js';

const world = testWorld();

interface Expl {
  zones: { insideHome: boolean; atStop: { code: string }[]; onBoundary: boolean };
  load: { before: { source: string; evidence: string }; unloadEvidence: string };
  stop: { durationS: number };
  thresholds: Record<string, unknown>;
  returned: { at: string };
  track: unknown[];
  maxOutsideCorridorM: number;
  startedLocal: string;
}
const gpsOf = (i: IncidentDraft | undefined): Expl => i?.explanation.gps as Expl;
const run = (...b: TrackBuilder[]) => runInputs(world, mergeTracks(...b)).incidents;
const summary = (...b: TrackBuilder[]) => run(...b).map((i) => `${i.type} ${i.dedupeKey}`);

/** Where a stop will start: the first fix of the final approach already within the stop radius. */
function stayStart(b: TrackBuilder): number {
  let t = b.t;
  for (let i = b.fixes.length - 1; i >= 0; i--) {
    const f = b.fixes[i];
    if (!f) break;
    if (distanceM(f.lon, f.lat, b.pos[0], b.pos[1]) > 200) break;
    t = f.t;
  }
  return t;
}

/** Load at CS1 (5 min stop inside the construction site → loaded, inferred). */
function loadedTruck(id = 1): TrackBuilder {
  return park(track(id, P.cs1, T0), 300);
}

describe('cross_border_dumping', () => {
  it('loaded at home, stands 10 min outside away from any disposal site, comes back: one incident', () => {
    const b = loadedTruck();
    drive(b, P.nextMid, 40);
    const stopT = stayStart(b);
    park(b, 600, 5);
    drive(b, P.homeMid, 40);
    const incidents = run(b);
    expect(incidents.map((i) => `${i.type} ${i.dedupeKey}`)).toEqual([
      `cross_border_dumping stop:v1:${iso(stopT)}`,
    ]);
    const [inc] = incidents;
    const gps = gpsOf(inc);
    expect(gps.zones.insideHome).toBe(false);
    expect(gps.zones.atStop.map((z) => z.code)).toEqual(['NEXT']);
    expect(gps.load.before.source).toBe('inferred');
    expect(gps.load.before.evidence).toContain('CS1');
    expect(gps.stop.durationS).toBeGreaterThanOrEqual(590);
    expect(gps.thresholds).toMatchObject({ stopRadiusM: 200, stopMinS: 180, unloadMinS: 240 });
    expect(gps.returned.at).toBeDefined();
    expect(gps.track.length).toBeGreaterThan(10);
    expect(inc?.jurisdictionCode).toBe('HOME');
    expect(inc?.vehicles).toEqual([{ vehicleId: 1, confidence: 1, reason: 'the vehicle’s own GPS track' }]);
  });

  it('does not fire before the truck is back', () => {
    const b = loadedTruck();
    drive(b, P.nextMid, 40);
    park(b, 600, 5);
    drive(b, [120.35, 30.05], 40);
    expect(summary(b)).toEqual([]);
  });

  it('trap: a stop at a licensed disposal site across the border is no incident, and empties the truck', () => {
    const b = loadedTruck();
    drive(b, P.dsNext, 40);
    park(b, 600, 5);
    drive(b, P.homeMid, 40);
    park(b, 600, 5); // a long stop at home afterwards: the truck is empty now, so no unpermitted_stop either
    drive(b, [120.12, 30.06], 40);
    expect(summary(b)).toEqual([]);
  });

  it('trap: a GPS gap that spans the border is not a stop', () => {
    const b = loadedTruck();
    drive(b, [120.19, 30.05], 40);
    gap(b, 1200, [120.25, 30.05]); // 20 min without fixes, reappears 4.8 km further, across the border
    drive(b, [120.32, 30.05], 40);
    drive(b, P.homeMid, 40);
    expect(summary(b)).toEqual([]);
  });

  it('a gap while parked outside (terminal off) still counts as standing there', () => {
    const b = loadedTruck();
    drive(b, P.nextMid, 40);
    const stopT = stayStart(b);
    park(b, 30);
    gap(b, 900);
    park(b, 30);
    drive(b, P.homeMid, 40);
    expect(summary(b)).toEqual([`cross_border_dumping stop:v1:${iso(stopT)}`]);
  });

  it('trap: crosses loaded and returns still loaded (load sensor) — no incident', () => {
    const b = sensor(track(1, P.cs1, T0), 'full');
    park(b, 300);
    drive(b, P.nextMid, 40);
    park(b, 900, 5); // waits 15 min outside, but the sensor still says full on the way back
    drive(b, P.homeMid, 40);
    expect(summary(b)).toEqual([]);
  });

  it('trap: crosses loaded, only a red light outside, returns — no incident (no sensor)', () => {
    const b = loadedTruck();
    drive(b, P.nextMid, 40);
    park(b, 60);
    drive(b, P.homeMid, 40);
    expect(summary(b)).toEqual([]);
  });

  it('a load sensor going empty at a short stop outside is enough', () => {
    const b = sensor(track(1, P.cs1, T0), 'full');
    park(b, 300);
    drive(b, P.nextMid, 40);
    const stopT = stayStart(b);
    park(b, 120);
    sensor(b, 'empty');
    park(b, 90);
    drive(b, P.homeMid, 40);
    const incidents = run(b);
    expect(incidents.map((i) => `${i.type} ${i.dedupeKey}`)).toEqual([
      `cross_border_dumping stop:v1:${iso(stopT)}`,
    ]);
    expect(gpsOf(incidents[0]).load.unloadEvidence).toContain('loaded → empty');
  });
});

describe('unpermitted_stop', () => {
  it('loaded truck stands 10 min inside home, not at a site: one incident when it leaves', () => {
    const b = loadedTruck();
    drive(b, [120.12, 30.12], 40);
    const stopT = stayStart(b);
    park(b, 600, 8);
    drive(b, [120.15, 30.12], 40);
    park(b, 600, 8); // a second long stop: load is unknown after the first, so nothing more
    drive(b, [120.16, 30.14], 40);
    const incidents = run(b);
    expect(incidents.map((i) => `${i.type} ${i.dedupeKey}`)).toEqual([
      `unpermitted_stop stop:v1:${iso(stopT)}`,
    ]);
    expect(incidents[0]?.jurisdictionCode).toBe('HOME');
  });

  it('trap: a red-light stop (60 s) is no stop', () => {
    const b = loadedTruck();
    drive(b, [120.12, 30.12], 40);
    park(b, 60);
    drive(b, [120.15, 30.12], 40);
    expect(summary(b)).toEqual([]);
    // Control: with a 50 s stop threshold the same red light would be a stop and an unload.
    const quick = testWorld(undefined, { stop: { radiusM: 200, minS: 50 }, unloadMinS: 50 });
    expect(runInputs(quick, mergeTracks(b)).incidents.map((i) => i.type)).toEqual(['unpermitted_stop']);
  });

  it('trap: a traffic jam (stop-and-go for 15 min) is no unloading', () => {
    const b = loadedTruck();
    drive(b, [120.12, 30.12], 40);
    for (let i = 0; i < 15; i++) {
      park(b, 50);
      drive(b, [b.pos[0] + 0.0004, b.pos[1]], 14); // ~38 m in 10 s, then stuck again
    }
    drive(b, [120.15, 30.12], 40);
    expect(summary(b)).toEqual([]);
    // Control: the same jam does count when any 40 s standstill were long enough to unload.
    const impatient = testWorld(undefined, { unloadMinS: 40 });
    expect(runInputs(impatient, mergeTracks(b)).incidents.map((i) => i.type)).toEqual(['unpermitted_stop']);
  });

  it('trap: a stop right on the boundary line is one incident, at home', () => {
    const b = loadedTruck();
    drive(b, [120.2, 30.08], 40);
    const arrival = b.t;
    park(b, 600, 12); // jitters to both sides of lon 120.2
    drive(b, P.homeMid, 40);
    const incidents = run(b);
    expect(incidents.map((i) => i.type)).toEqual(['unpermitted_stop']);
    expect(arrival - (incidents[0]?.startedAt ?? 0)).toBeLessThanOrEqual(20_000);
    expect(gpsOf(incidents[0]).zones.onBoundary).toBe(true);
  });

  it('an empty truck may stop anywhere', () => {
    const b = track(1, P.homeMid, T0);
    park(b, 900);
    drive(b, [120.15, 30.12], 40);
    expect(summary(b)).toEqual([]);
  });
});

describe('route_deviation', () => {
  const w = testWorld([vehicle(1, { approvedRouteId: 6 })]);
  it('loaded and more than 100 m off the corridor for more than 120 s: one incident with its end', () => {
    const b = loadedTruck();
    drive(b, [120.07, 30.05], 30);
    drive(b, [120.07, 30.06], 30); // ~1.1 km north, off the corridor
    drive(b, [120.09, 30.06], 30);
    drive(b, [120.09, 30.05], 30);
    drive(b, [120.1, 30.05], 30);
    const incidents = runInputs(w, mergeTracks(b)).incidents;
    expect(incidents.map((i) => i.type)).toEqual(['route_deviation']);
    const inc = incidents[0];
    expect(inc?.endedAt).not.toBeNull();
    expect(gpsOf(inc).maxOutsideCorridorM).toBeGreaterThan(900);
  });

  it('a short excursion (under 120 s) is tolerated, and an empty truck is free', () => {
    const b = loadedTruck();
    drive(b, [120.07, 30.05], 30);
    drive(b, [120.07, 30.052], 30);
    drive(b, [120.072, 30.05], 30);
    const e = track(1, [120.0, 30.1], T0);
    drive(e, [120.1, 30.1], 40);
    expect(runInputs(w, mergeTracks(b)).incidents).toEqual([]);
    expect(runInputs(w, mergeTracks(e)).incidents).toEqual([]);
  });
});

describe('off_hours', () => {
  const w = testWorld([
    vehicle(1, { permittedHours: { tz: 'Asia/Shanghai', windows: [{ from: '22:00', to: '06:00' }] } }),
  ]);
  it('moving loaded at 08:00 Beijing time when only 22:00–06:00 is permitted', () => {
    const b = loadedTruck();
    drive(b, [120.15, 30.05], 40);
    const incidents = runInputs(w, mergeTracks(b)).incidents;
    expect(incidents.map((i) => i.type)).toEqual(['off_hours']);
    expect(gpsOf(incidents[0]).startedLocal).toMatch(/^08:0\d/);
  });

  it('inside permitted hours nothing fires', () => {
    const ok = testWorld([vehicle(1, { permittedHours: DAYTIME })]);
    const b = loadedTruck();
    drive(b, [120.15, 30.05], 40);
    expect(runInputs(ok, mergeTracks(b)).incidents).toEqual([]);
  });

  it('the permitted night window runs past midnight (22:00–06:00 covers 02:00)', () => {
    const night = Date.parse('2026-03-02T18:00:00Z'); // 02:00 Tuesday in Shanghai
    const b = park(track(1, P.cs1, night), 300);
    drive(b, [120.15, 30.05], 40);
    expect(runInputs(w, mergeTracks(b)).incidents).toEqual([]);
  });
});

describe('out-of-order points', () => {
  const scenario = (): TrackBuilder => {
    const b = loadedTruck();
    drive(b, [120.12, 30.12], 40);
    park(b, 600, 8);
    drive(b, [120.15, 30.12], 40);
    return b;
  };
  it('points shuffled within the reorder window give the same incidents as in order', () => {
    const inOrder = runInputs(world, mergeTracks(scenario())).incidents;
    const inputs = mergeTracks(scenario());
    // Swap neighbours pairwise: each point at most one interval (10 s) out of place.
    const swapped = inputs.map((_, i) => inputs[i % 2 === 0 ? Math.min(i + 1, inputs.length - 1) : i - 1]);
    if (inputs.length % 2 === 1) swapped[inputs.length - 1] = inputs[inputs.length - 1];
    const shuffled = runInputs(
      world,
      swapped.filter((x) => x !== undefined),
    );
    expect(shuffled.incidents).toEqual(inOrder);
    expect(inOrder).toHaveLength(1);
    expect(shuffled.state.stats.late).toBe(0);
  });

  it('a point later than the window is dropped and counted; a duplicate is counted', () => {
    const inputs = mergeTracks(scenario());
    const [old] = inputs.splice(5, 1);
    if (old) inputs.splice(40, 0, old); // ~6 minutes late
    const dup = inputs[59];
    if (dup) inputs.splice(60, 0, dup);
    const r = runInputs(world, inputs);
    expect(r.state.stats.late).toBe(1);
    expect(r.state.stats.duplicates).toBe(1);
    expect(r.incidents).toHaveLength(1);
  });
});

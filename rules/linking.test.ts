import { describe, expect, it } from 'vitest';
import { advanceTime, newEngineState, stepEngine, type RulesInput } from './engine.js';
import { canonicalIncident, type IncidentDraft } from './incidents.js';
import { drive, mergeTracks, park, runInputs, track, type TrackBuilder } from './scenario.js';
import { DEFAULT_PARAMS } from './params.js';
import { CAMERA, P, T0, TEST_ZONES, square, testWorld, vehicle } from './test-world.js';
import { buildWorld, type CameraInfo, type CameraObservation } from './world.js';

const world = testWorld();

/** Time at which the truck's track passes closest to the camera's longitude (between fixes). */
function passTime(b: TrackBuilder, lon: number): number {
  const i = b.fixes.findIndex((f) => f.lon >= lon);
  const a = b.fixes[i - 1];
  const c = b.fixes[i];
  if (!a || !c) throw new Error('track does not pass the camera');
  return a.t + ((lon - a.lon) / (c.lon - a.lon)) * (c.t - a.t);
}

function obs(t: number, type: CameraObservation['type'] = 'uncovered_load'): RulesInput {
  return {
    kind: 'camera',
    obs: { cameraId: 7, type, t: Math.round(t), endT: null, trackIds: [3], confidence: 0.8 },
  };
}

function withCamera(inputs: RulesInput[], o: RulesInput): RulesInput[] {
  const t = o.kind === 'camera' ? o.obs.t : 0;
  const i = inputs.findIndex((x) => x.kind === 'fix' && x.fix.t > t);
  return [...inputs.slice(0, i < 0 ? inputs.length : i), o, ...inputs.slice(i < 0 ? inputs.length : i)];
}

interface CamExpl {
  link: { ambiguous: boolean; candidates: { vehicleId: number }[] };
  mergedWithGpsStop: string | null;
}
const camOf = (i: IncidentDraft | undefined): CamExpl => i?.explanation.camera as CamExpl;

describe('detection ↔ truck linking', () => {
  it('trap: two trucks near one camera — the one in view is linked, the one on the next street is not', () => {
    const a = drive(track(1, [120.05, 30.05], T0), [120.11, 30.05], 40);
    const b = drive(track(2, [120.05, 30.0518], T0 + 3000), [120.11, 30.0518], 40); // ~200 m north
    const t = passTime(a, P.camera[0]);
    const { incidents } = runInputs(world, withCamera(mergeTracks(a, b), obs(t)));
    expect(incidents).toHaveLength(1);
    const inc = incidents[0];
    expect(inc?.type).toBe('uncovered_load');
    expect(inc?.vehicles.map((v) => v.vehicleId)).toEqual([1]);
    expect(inc?.vehicles[0]?.confidence).toBeGreaterThan(0.8);
    expect(inc?.vehicles[0]?.reason).toContain('inside the footprint');
    expect(camOf(inc).link.ambiguous).toBe(false);
  });

  it('trap: two trucks both in view — ambiguous, both kept and ranked', () => {
    const a = drive(track(1, [120.05, 30.05], T0), [120.11, 30.05], 40);
    const b = drive(track(2, [120.05, 30.0502], T0 + 2000), [120.11, 30.0502], 40); // same road, 2 s behind
    const t = passTime(a, P.camera[0]);
    const { incidents } = runInputs(world, withCamera(mergeTracks(a, b), obs(t)));
    const inc = incidents[0];
    expect(inc?.vehicles.map((v) => v.vehicleId)).toEqual([1, 2]);
    expect(camOf(inc).link.ambiguous).toBe(true);
  });

  it('two trucks both in view: where the picture shows the finding tells them apart', () => {
    // A camera 66 m south of the road looking north; truck 2 trails truck 1 by 3 s (33 m).
    const roadside: CameraInfo = {
      ...CAMERA,
      position: [120.08, 30.0494],
      viewHeadingDeg: 0,
      hfovDeg: 60,
      footprint: square([120.08, 30.05], 0.0006),
    };
    const w = buildWorld(TEST_ZONES, [vehicle(1), vehicle(2)], [roadside], DEFAULT_PARAMS);
    const run = (imageX: number | null) => {
      const a = drive(track(1, [120.05, 30.05], T0), [120.11, 30.05], 40);
      const b = drive(track(2, [120.05, 30.05], T0 + 3000), [120.11, 30.05], 40);
      const o = obs(passTime(a, P.camera[0]));
      const seen = o.kind === 'camera' ? { ...o, obs: { ...o.obs, imageX } } : o;
      const inc = runInputs(w, withCamera(mergeTracks(a, b), seen)).incidents[0];
      return { ids: inc?.vehicles.map((v) => v.vehicleId), ambiguous: camOf(inc).link.ambiguous, inc };
    };
    // Truck 1 is straight ahead (centre of the picture); truck 2 is 27° to the left (x ≈ 0.07).
    const centre = run(0.5);
    expect(centre.ids?.[0]).toBe(1);
    expect(centre.ambiguous).toBe(false);
    expect(centre.inc?.vehicles[0]?.reason).toContain('0° from the camera axis, GPS position at 0°');
    const left = run(0.07);
    expect(left.ids?.[0]).toBe(2);
    expect(left.ambiguous).toBe(false);
    // Without the box's place the two stay a tie, as before.
    expect(run(null).ambiguous).toBe(true);
  });

  it('a truck crossing the road axis ranks below one driving along it', () => {
    const along = drive(track(1, [120.05, 30.05], T0), [120.11, 30.05], 40);
    const t = passTime(along, P.camera[0]);
    const across = track(2, [120.08, 30.04], t - 99_500);
    drive(across, [120.08, 30.06], 40); // north–south through the footprint, passing at about the same time
    const { incidents } = runInputs(world, withCamera(mergeTracks(along, across), obs(t)));
    const vs = incidents[0]?.vehicles ?? [];
    expect(vs.map((v) => v.vehicleId)).toEqual([1, 2]);
    expect(vs[1]?.reason).toContain('off the road axis');
    expect((vs[0]?.confidence ?? 0) - (vs[1]?.confidence ?? 0)).toBeGreaterThan(0.3);
  });

  it('a truck whose terminal goes quiet just after the camera is still linked (fixes in its reorder window)', () => {
    const a = drive(track(1, [120.05, 30.05], T0), [120.11, 30.05], 40);
    const t = passTime(a, P.camera[0]);
    // Ignition off 10 s after passing: its last fixes never get a successor to release them.
    const quiet = { ...a, fixes: a.fixes.filter((f) => f.t <= t + 10_000) };
    const far = drive(track(2, [120.05, 30.09], T0), [120.11, 30.09], 40); // keeps GPS time moving
    const { incidents } = runInputs(world, withCamera(mergeTracks(quiet, far), obs(t)));
    expect(incidents.map((i) => i.vehicles.map((v) => v.vehicleId))).toEqual([[1]]);
    expect(incidents[0]?.vehicles[0]?.reason).toContain('inside the footprint');
  });

  it('no truck in view: the camera incident stands alone, with no vehicle', () => {
    const a = drive(track(1, [120.05, 30.07], T0), [120.11, 30.07], 40);
    const { incidents } = runInputs(world, withCamera(mergeTracks(a), obs(T0 + 60_000)));
    expect(incidents.map((i) => i.vehicles.length)).toEqual([0]);
  });
});

describe('camera findings wait for GPS time', () => {
  it('held until event time passes them by the link lag; advanceTime releases them when GPS stalls', () => {
    const state = newEngineState();
    const o = obs(T0);
    expect(stepEngine(state, o, world).outputs).toEqual([]);
    expect(advanceTime(state, world, T0 + 119_000)).toEqual([]);
    expect(advanceTime(state, world, T0 + 120_000).map((d) => d.type)).toEqual(['uncovered_load']);
    expect(state.pendingCamera).toEqual([]);
  });
});

describe('camera dumping + GPS stop = one incident', () => {
  const scenario = (): { truck: TrackBuilder; seen: number } => {
    const truck = park(track(1, P.cs1, T0), 300); // loaded at CS1
    drive(truck, [120.0801, 30.0501], 40); // into the camera's view
    const seen = truck.t + 240_000;
    park(truck, 600, 5);
    drive(truck, [120.12, 30.06], 40);
    return { truck, seen };
  };

  it('merges by dedupe key: type from the GPS rule, camera and GPS explanations both kept', () => {
    const { truck, seen } = scenario();
    const { incidents } = runInputs(world, withCamera(mergeTracks(truck), obs(seen, 'dumping')));
    expect(incidents).toHaveLength(1);
    const inc = incidents[0];
    expect(inc?.type).toBe('unpermitted_stop');
    expect(inc?.cameraId).toBe(7);
    expect(inc?.dedupeKey).toMatch(/^stop:v1:/);
    expect(Object.keys(inc?.explanation ?? {}).sort()).toEqual(['camera', 'gps']);
    expect(camOf(inc).mergedWithGpsStop).toBe(inc?.dedupeKey);
  });

  it('replay determinism: camera event early and fixes jittered (live) = time order (replay), byte for byte', () => {
    const { truck, seen } = scenario();
    const other = drive(track(2, [120.05, 30.05], T0 + 5000), [120.11, 30.05], 30);
    const sorted = withCamera(mergeTracks(truck, other), obs(seen, 'dumping'));
    const replay = runInputs(world, sorted).incidents.map(canonicalIncident);
    // Live: the camera event arrives before any GPS, and each vehicle's fixes come a little out of order.
    const fixes = mergeTracks(truck, other);
    const jittered = fixes.map(
      (_x, i) => fixes[i % 3 === 0 && i + 1 < fixes.length ? i + 1 : i % 3 === 1 ? i - 1 : i],
    );
    const live = runInputs(world, [obs(seen, 'dumping'), ...jittered.filter((x) => x !== undefined)]);
    expect(live.state.stats.late).toBe(0);
    expect(live.incidents.map(canonicalIncident).join('\n')).toBe(replay.join('\n'));
    expect(replay.length).toBeGreaterThan(0);
  });
});

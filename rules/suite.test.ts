import { describe, expect, it } from 'vitest';
import type { RulesInput } from './engine.js';
import type { LonLat } from './geo.js';
import {
  drive,
  gap,
  mergeTracks,
  park,
  runInputs,
  scoreIncidents,
  sensor,
  track,
  type ExpectedIncident,
  type TrackBuilder,
} from './scenario.js';
import { P, T0, testWorld, vehicle } from './test-world.js';

/**
 * Every trap and every positive case at once: eleven trucks on one engine, staggered in time,
 * one camera finding. Precision and recall must both be 1.0.
 */
const start = (id: number): number => T0 + id * 7_000;
const loaded = (id: number): TrackBuilder => park(track(id, P.cs1, start(id)), 300);
const expected: ExpectedIncident[] = [];
const trucks: TrackBuilder[] = [];
const camera: RulesInput[] = [];

function expect_(type: ExpectedIncident['type'], vehicleId: number, at: number, cameraId?: number): void {
  expected.push({ type, vehicleId, at, ...(cameraId === undefined ? {} : { cameraId }) });
}

// 1: cross-border dumping.
let b = loaded(1);
drive(b, P.nextMid, 50);
expect_('cross_border_dumping', 1, b.t + 300_000);
park(b, 600, 5);
drive(b, P.homeMid, 50);
trucks.push(b);
// 2: disposal site across the border (trap).
b = loaded(2);
drive(b, P.dsNext, 50);
park(b, 600, 5);
drive(b, P.homeMid, 50);
trucks.push(b);
// 3: GPS gap across the border (trap).
b = loaded(3);
drive(b, [120.19, 30.05], 40);
gap(b, 1200, [120.25, 30.05]);
drive(b, [120.32, 30.05], 40);
drive(b, P.homeMid, 40);
trucks.push(b);
// 4: crosses and returns still loaded, sensor (trap).
b = sensor(track(4, P.cs1, start(4)), 'full');
park(b, 300);
drive(b, P.nextMid, 50);
park(b, 900, 5);
drive(b, P.homeMid, 50);
trucks.push(b);
// 5: red light + traffic jam inside home (traps).
b = loaded(5);
drive(b, [120.12, 30.12], 40);
park(b, 60);
drive(b, [120.13, 30.12], 40);
for (let i = 0; i < 12; i++) {
  park(b, 50);
  drive(b, [b.pos[0] + 0.0004, b.pos[1]], 14);
}
drive(b, [120.16, 30.12], 40);
trucks.push(b);
// 6: stop on the boundary line → one unpermitted stop.
b = loaded(6);
drive(b, [120.2, 30.08], 40);
expect_('unpermitted_stop', 6, b.t + 300_000);
park(b, 600, 12);
drive(b, P.homeMid, 40);
trucks.push(b);
// 7: unpermitted stop in view of the camera, seen dumping → one case naming truck 7, camera 7.
b = loaded(7);
drive(b, [120.0801, 30.0501], 40);
const seen = b.t + 240_000;
expect_('unpermitted_stop', 7, seen, 7);
park(b, 600, 5);
drive(b, [120.12, 30.06], 40);
trucks.push(b);
camera.push({
  kind: 'camera',
  obs: { cameraId: 7, type: 'dumping', t: seen, endT: null, trackIds: [1], confidence: 0.9 },
});
// 8: a second truck drives past the camera while 7 dumps (trap: not linked first).
b = track(8, [120.05, 30.0502], seen - 100_000);
drive(b, [120.11, 30.0502], 36);
trucks.push(b);
// 9: route deviation (approved route R1).
b = loaded(9);
drive(b, [120.07, 30.05], 30);
drive(b, [120.07, 30.06], 30);
expect_('route_deviation', 9, b.t);
drive(b, [120.09, 30.06], 30);
drive(b, [120.09, 30.05], 30);
drive(b, [120.1, 30.05], 30);
trucks.push(b);
// 10: off-hours (night-only permit, driving loaded at 08:00).
b = loaded(10);
drive(b, [120.15, 30.02] as LonLat, 40);
expect_('off_hours', 10, b.t - 60_000);
trucks.push(b);
// 11: empty truck parking long anywhere (trap).
b = track(11, P.homeMid, start(11));
park(b, 1800);
drive(b, [120.15, 30.12], 40);
trucks.push(b);

describe('scenario suite: every rule and every trap at once', () => {
  it('precision and recall are 1.0', () => {
    const world = testWorld(
      Array.from({ length: 11 }, (_, i) =>
        vehicle(i + 1, {
          ...(i + 1 === 9 ? { approvedRouteId: 6 } : {}),
          ...(i + 1 === 10
            ? { permittedHours: { tz: 'Asia/Shanghai', windows: [{ from: '22:00', to: '06:00' }] } }
            : {}),
          ...(i + 1 === 4 ? { loadSensor: true } : {}),
        }),
      ),
    );
    const fixes = mergeTracks(...trucks);
    const t = seen;
    const i = fixes.findIndex((x) => x.kind === 'fix' && x.fix.t > t);
    const inputs = [...fixes.slice(0, i), ...camera, ...fixes.slice(i)];
    const { incidents } = runInputs(world, inputs);
    const score = scoreIncidents(expected, incidents);
    expect({
      missed: score.missed,
      unexpected: score.unexpected.map((d) => `${d.type} ${d.dedupeKey}`),
    }).toEqual({
      missed: [],
      unexpected: [],
    });
    expect([score.precision, score.recall]).toEqual([1, 1]);
    expect(incidents.find((d) => d.cameraId === 7)?.vehicles[0]?.vehicleId).toBe(7);
  });

  it('the score notices a missing and an unexpected incident', () => {
    const extra = { ...expected[0], type: 'dust' as const, at: T0 } as ExpectedIncident;
    const s = scoreIncidents([...expected, extra], []);
    expect([s.precision, s.recall, s.missed.length]).toEqual([0, 0, expected.length + 1]);
  });
});

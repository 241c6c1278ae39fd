import { describe, expect, it } from 'vitest';
import { cameraFootprint, loadScenario, truckTrack } from '../fixtures/index.js';
import type { RulesInput } from './engine.js';
import type { LonLat } from './geo.js';
import { DEFAULT_PARAMS } from './params.js';
import { runInputs } from './scenario.js';
import { vehicle } from './test-world.js';
import { buildWorld, type CameraObservation, type Fix } from './world.js';

/**
 * A fixtures scenario (camera pose + truck tracks on one time base) fed through the rules:
 * the GPS tracks of its trucks and the camera findings its ground truth names.
 */
describe('fixture scenario dumping-gate', () => {
  it('links the tipping truck, not the one driving past in the far lane', async () => {
    const sc = await loadScenario('fixtures/scenarios/dumping-gate.yaml');
    const footprint = cameraFootprint(sc).map((p) => [p[0], p[1]] as LonLat);
    const world = buildWorld(
      [],
      [vehicle(3), vehicle(5)],
      [
        {
          id: 1,
          code: sc.camera.id,
          position: [sc.camera.lon, sc.camera.lat],
          footprint: [footprint],
          // The road crosses the image left to right: perpendicular to where the camera looks.
          roadHeadingDeg: (sc.camera.heading + 90) % 360,
          jurisdictionCode: null,
        },
      ],
      DEFAULT_PARAMS,
    );
    const fixes: Fix[] = [];
    for (const [actor, id] of [
      ['T3', 3],
      ['T5', 5],
    ] as const) {
      for (const p of truckTrack(sc, actor)) {
        fixes.push({
          vehicleId: id,
          t: Date.parse(p.time),
          lon: p.lon,
          lat: p.lat,
          speedKmh: p.speedKmh,
          headingDeg: p.course,
          sensorLoad: p.loaded ? 'full' : 'empty',
        });
      }
    }
    fixes.sort((a, b) => a.t - b.t || a.vehicleId - b.vehicleId);
    const start = Date.parse(sc.startTime);
    const tip = sc.actors.find((a) => a.id === 'T3' && a.kind === 'truck');
    const tipStart = tip?.kind === 'truck' ? (tip.tip?.start ?? 0) : 0;
    const dumping: CameraObservation = {
      cameraId: 1,
      type: 'dumping',
      t: start + tipStart * 1000,
      endT: null,
      trackIds: [1],
      confidence: 0.9,
    };
    const inputs: RulesInput[] = [
      ...fixes.map((fix): RulesInput => ({ kind: 'fix', fix })),
      { kind: 'camera', obs: dumping },
    ];
    const { incidents } = runInputs(world, inputs);
    expect(incidents.map((i) => i.type)).toEqual(['dumping']);
    const vs = incidents[0]?.vehicles ?? [];
    expect(vs[0]?.vehicleId).toBe(3);
    // T5 is in view at that moment too, but driving: ranked below, with the reason said.
    expect(vs.find((v) => v.vehicleId === 5)?.reason ?? 'not linked').toMatch(/moving|not linked/);
    expect((vs[0]?.confidence ?? 0) - (vs[1]?.confidence ?? 0)).toBeGreaterThanOrEqual(0.15);
  });
});

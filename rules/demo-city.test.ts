import { describe, expect, it } from 'vitest';
import { DEMO_ZONES, demoFleetTracks, demoVehicles, type DemoTrack } from '../fixtures/index.js';
import type { RulesInput } from './engine.js';
import type { LonLat } from './geo.js';
import { toFix } from './inputs.js';
import { DEFAULT_PARAMS } from './params.js';
import { runInputs, scoreIncidents } from './scenario.js';
import { buildWorld } from './world.js';
import type { Zone } from './zones.js';

/**
 * The fixtures' demo city and fleet through the rules: 23 trucks shuttling construction site →
 * licensed disposal site on the approved route (legal, half of them with load sensors), and one
 * that dumps across the eastern border. Exactly one incident: that truck's cross_border_dumping.
 */
describe('fixtures demo city', () => {
  it('finds the cross-border dump and nothing in the legal shuttles', () => {
    const zones: Zone[] = DEMO_ZONES.map((z, i) => ({
      id: i + 1,
      code: z.code,
      kind: z.kind,
      name: z.name,
      parentCode: z.kind === 'jurisdiction' ? (z.parent ?? null) : null,
      polygons:
        z.kind === 'approved_route' ? [] : [[z.coords.slice(0, -1).map((p) => [p[0], p[1]] as LonLat)]],
      line: z.kind === 'approved_route' ? z.coords.map((p) => [p[0], p[1]] as LonLat) : null,
      widthM: z.widthM ?? null,
      schedule: null,
      properties: z.properties ?? {},
    }));
    const fleet = demoVehicles();
    const vehicles = fleet.map((v, i) => ({
      id: i + 1,
      plate: v.plate,
      approvedRouteId: null,
      permittedHours: null,
      loadSensor: v.loadSensor,
    }));
    const world = buildWorld(zones, vehicles, [], DEFAULT_PARAMS);
    const start = Date.parse('2026-06-01T01:00:00Z');
    const { live, crossBorder } = demoFleetTracks(start, 2);
    const idOf = new Map(fleet.map((v, i) => [v.terminalId, i + 1]));
    const fixesOf = (t: DemoTrack): RulesInput[] =>
      t.points.map((p) => {
        const vehicleId = idOf.get(t.terminalId) ?? 0;
        const fix = toFix(
          {
            vehicleId,
            fixTime: p.t,
            lon: p.lon,
            lat: p.lat,
            speedKmh: p.speed,
            headingDeg: p.heading,
            statusBits: 0,
            loadState: p.loadState,
            source: 'jt808',
          },
          vehicles[vehicleId - 1]?.loadSensor ?? false,
        );
        return { kind: 'fix', fix };
      });
    const inputs = [...live, crossBorder]
      .flatMap(fixesOf)
      .sort((a, b) =>
        a.kind === 'fix' && b.kind === 'fix' ? a.fix.t - b.fix.t || a.fix.vehicleId - b.fix.vehicleId : 0,
      );
    const { incidents } = runInputs(world, inputs);
    const dumper = idOf.get(crossBorder.terminalId) ?? -1;
    const dumpT = (crossBorder.points.find((p) => p.lon >= 121.559)?.t ?? 0) + 60_000;
    const score = scoreIncidents([{ type: 'cross_border_dumping', vehicleId: dumper, at: dumpT }], incidents);
    expect(score.unexpected.map((d) => `${d.type} ${d.dedupeKey}`)).toEqual([]);
    expect(score.missed).toEqual([]);
    expect(incidents[0]?.jurisdictionCode).toBe('JD-HOME');
  });
});

/**
 * Points per second through the rules engine (zones lookup, stop detection, load inference,
 * cross-border/unpermitted stop, route deviation, off-hours, reorder buffer) with 1,000 zones and
 * 5,000 vehicles, one fix per 10 s each. Fixes are generated before the clock starts; the number
 * is the engine alone, single-threaded. Baseline: the same fixes through a bare zone lookup
 * (ZoneIndex.at), the floor any geofencing rule pays.
 */
import { newEngineState, stepEngine, syntheticCity, fleetTicks, type Fix } from '../rules/index.js';
import type { Benchmark } from './record.js';

const VEHICLES = 5000;
const TICKS = 240; // 40 min of fleet time: 1.2 M fixes

const bench: Benchmark = {
  name: 'rules-throughput',
  async run() {
    const city = syntheticCity({ zones: 1000, vehicles: VEHICLES });
    const t0 = Date.parse('2026-03-02T00:00:00Z');
    const ticks: Fix[][] = [...fleetTicks(city, t0, TICKS)];
    const n = ticks.length * VEHICLES;

    // Warm-up on a separate engine so JIT and caches are fair to both measurements.
    const warm = newEngineState();
    for (const tick of ticks.slice(0, 20))
      for (const fix of tick) stepEngine(warm, { kind: 'fix', fix }, city.world);

    let sink = 0;
    const b0 = performance.now();
    for (const tick of ticks) for (const f of tick) sink += city.world.zones.at(f.lon, f.lat, f.t).length;
    const baselineS = (performance.now() - b0) / 1000;

    const state = newEngineState();
    let incidents = 0;
    const s0 = performance.now();
    for (const tick of ticks) {
      for (const fix of tick) incidents += stepEngine(state, { kind: 'fix', fix }, city.world).outputs.length;
    }
    const seconds = (performance.now() - s0) / 1000;
    const rate = Math.round(n / seconds);
    process.stdout.write(
      `rules-throughput: ${n} fixes in ${seconds.toFixed(2)} s = ${rate}/s; ${incidents} incident outputs; ` +
        `bare zone lookup ${Math.round(n / baselineS)}/s (${sink} zone hits)\n`,
    );
    await Promise.resolve();
    return {
      metric: 'GPS fixes/s through the rules (1,000 zones, 5,000 vehicles)',
      value: rate,
      unit: 'fixes/s',
      baseline: Math.round(n / baselineS),
      target: '≥ 20,000 fixes/s (baseline: bare zone lookup of the same fixes)',
    };
  },
};
export default bench;

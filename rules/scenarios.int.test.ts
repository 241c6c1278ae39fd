import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createRedis, type Runtime } from '../core/index.js';
import {
  createTestDatabase,
  createTestRedis,
  testConfig,
  type TestDatabase,
  type TestRedis,
} from '../core/testing/services.js';
import { DEMO_ZONES, seedCity } from '../fixtures/index.js';
import { replayFleet, startGpsHarness, type GpsHarness, type ScenarioTrack } from '../ingest/index.js';
import type { LonLat } from './geo.js';
import { loadIncidents } from './pg/incident-repo.js';
import { buildTruck, expectedOf, parseRulesScenario, type RulesScenario } from './scenario-file.js';
import { scoreIncidents, type ExpectedIncident } from './scenario.js';
import { startRulesWorker } from './worker.js';

/**
 * Rules acceptance: every scenario file in rules/scenarios, on the demo city, played by the
 * truck simulator as real JT/T 808 terminals → gateway (filters) → PostGIS + gps-points queue →
 * rules worker → incidents in PostGIS. Each scenario must score precision and recall 1.0 —
 * the distractors by raising nothing at all.
 */
const DIR = 'rules/scenarios';
const scenarios: RulesScenario[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => parseRulesScenario(readFileSync(`${DIR}/${f}`, 'utf8'), f));

/** The centre of a demo-city zone (its ring's vertices averaged). */
function placeOf(code: string): LonLat {
  const z = DEMO_ZONES.find((x) => x.code === code);
  if (!z) throw new Error(`no zone ${code} in the demo city`);
  const ring = z.kind === 'approved_route' ? z.coords : z.coords.slice(0, -1);
  return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
}

/** The latest start at `hh:mm` Shanghai time whose scenario (plus a margin) ends before `now`. */
function startAt(hhmm: string, durationMs: number, now: number): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const day = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
  let t = Date.parse(`${day}T00:00:00+08:00`) + (h * 60 + m) * 60_000;
  while (t + durationMs > now - 10 * 60_000) t -= 86_400_000;
  return t;
}

describe('rules scenario acceptance (GPS simulator → gateway → PostGIS → rules worker)', () => {
  let db: TestDatabase;
  let r: TestRedis;
  let gps: GpsHarness | undefined;
  let stopRules: (() => Promise<void>) | undefined;
  const expected = new Map<string, ExpectedIncident[]>();
  const vehiclesOf = new Map<string, Set<number>>();
  const tracks: ScenarioTrack[] = [];
  let from = Infinity;

  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
    await seedCity(db.pool, { rtspBase: 'rtsp://127.0.0.1:8554' });
    const now = Date.now();
    let n = 0;
    for (const sc of scenarios) {
      const built = new Map<string, { vehicleId: number; legStarts: number[] }>();
      for (const truck of sc.trucks) {
        n++;
        const plate = `沪R${String(n).padStart(5, '0')}`;
        const terminalId = `1397700${String(n).padStart(4, '0')}`;
        const { rows } = await db.pool.query<{ id: string }>(
          `INSERT INTO vehicles (plate, approved_route_id, permitted_hours, load_sensor)
           VALUES ($1, (SELECT id FROM zones WHERE code = $2), $3, $4) RETURNING id`,
          [
            plate,
            truck.approvedRoute ?? null,
            truck.permittedHours ? { tz: 'Asia/Shanghai', windows: truck.permittedHours } : null,
            truck.loadSensor,
          ],
        );
        const vehicleId = Number(rows[0]?.id);
        await db.pool.query('INSERT INTO terminals (terminal_id, vehicle_id) VALUES ($1, $2)', [
          terminalId.padStart(12, '0'),
          vehicleId,
        ]);
        const draft = buildTruck(truck, vehicleId, 0, sc.intervalS, placeOf);
        const duration = draft.fixes.at(-1)?.t ?? 0;
        const t0 = startAt(sc.startLocal, duration, now);
        from = Math.min(from, t0);
        built.set(truck.id, { vehicleId, legStarts: draft.legStarts.map((t) => t0 + t) });
        tracks.push({
          terminalId,
          plate,
          points: draft.fixes.map((f) => ({
            t: t0 + f.t,
            lon: f.lon,
            lat: f.lat,
            speed: f.speedKmh ?? 0,
            heading: 90,
            // A terminal without a load sensor sends bits 8–9 as 00 ("empty"); the rules ignore them.
            loadState: (f.sensorLoad ?? 'empty'),
          })),
        });
      }
      expected.set(sc.id, expectedOf(sc, built));
      vehiclesOf.set(sc.id, new Set([...built.values()].map((b) => b.vehicleId)));
    }
    gps = await startGpsHarness({ pool: db.pool, redis: r.redis, queues: r.ctx });
    const base = testConfig();
    const config = {
      ...base,
      database: db.config,
      redis: { ...base.redis, prefix: r.ctx.prefix },
      log: { level: 'silent' as const },
      rules: { ...base.rules, homeJurisdiction: '', warmupS: 0 },
    };
    const rt: Runtime = {
      config,
      log: createLogger(config, 'rules-scenarios'),
      pool: db.pool,
      redis: createRedis(config.redis.url),
      queues: r.ctx,
    };
    const w = await startRulesWorker(rt);
    stopRules = async () => {
      await w.stop();
      rt.redis.disconnect();
    };
  }, 60_000);

  afterAll(async () => {
    await stopRules?.();
    await gps?.close();
    await r.cleanup();
    await db.cleanup();
  });

  it('every scenario: exactly its expected incidents (precision and recall 1.0)', async () => {
    const harness = gps as GpsHarness;
    const sent = await replayFleet(tracks, { host: '127.0.0.1', port: harness.port, speedup: 0 });
    const points = tracks.reduce((s, t) => s + t.points.length, 0);
    const jumps = scenarios
      .flatMap((sc) => sc.trucks.flatMap((t) => t.legs))
      .filter((l) => 'jump' in l).length;
    expect(sent.acked).toBe(points);
    // Every point acknowledged is stored or quarantined (the jumps), and the rules worker has taken them all.
    await harness.intake.publisher.idle();
    expect(harness.intake.publisher.stats.queued).toBe(points - jumps);
    for (let i = 0; i < 200; i++) {
      const c = await harness.queue.queue.getJobCounts('wait', 'active', 'delayed');
      if ((c.wait ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    await new Promise((res) => setTimeout(res, 500)); // the last job's incident writes
    const incidents = await loadIncidents(db.pool, new Date(from - 60_000), new Date(Date.now() + 60_000));

    const report: Record<string, unknown> = {};
    const covered = new Set<string>();
    for (const sc of scenarios) {
      const mine = vehiclesOf.get(sc.id) ?? new Set<number>();
      const actual = incidents.filter((d) => d.vehicles.some((v) => mine.has(v.vehicleId)));
      const score = scoreIncidents(expected.get(sc.id) ?? [], actual);
      for (const d of actual) covered.add(d.type);
      report[sc.id] = {
        precision: score.precision,
        recall: score.recall,
        missed: score.missed,
        unexpected: score.unexpected.map((d) => `${d.type} ${d.dedupeKey}`),
      };
    }
    expect(report).toEqual(
      Object.fromEntries(
        scenarios.map((sc) => [sc.id, { precision: 1, recall: 1, missed: [], unexpected: [] }]),
      ),
    );
    // Every GPS rule is exercised by some scenario, and distractors are among them.
    expect([...covered].sort()).toEqual([
      'cross_border_dumping',
      'off_hours',
      'route_deviation',
      'unpermitted_stop',
    ]);
    expect(scenarios.filter((sc) => sc.expect.length === 0).length).toBeGreaterThanOrEqual(5);
  }, 60_000);
});

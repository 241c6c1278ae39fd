import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TypedQueue } from '../core/index.js';
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
import {
  buildTruck,
  cameraFindingsOf,
  expectedOf,
  parseRulesScenario,
  type RulesScenario,
} from './scenario-file.js';
import { scoreIncidents, type ExpectedIncident } from './scenario.js';
import { startTestRulesWorker } from './test-worker.js';

/**
 * Rules acceptance: every scenario file in rules/scenarios, on the demo city, played by the
 * truck simulator as real JT/T 808 terminals → gateway (filters) → PostGIS + gps-points queue →
 * rules worker → incidents in PostGIS, camera findings through the camera-events queue. Each
 * scenario must score precision and recall 1.0 — the distractors by raising nothing at all.
 *
 * The scenarios sit at different times of day (and days). Live, every truck reports in real time
 * and camera findings wait until GPS time has passed them; here each scenario with camera findings
 * is played on its own, earliest first, its findings queued before its trucks' points, so GPS
 * time passes them only once its own trucks got there. The rest are played together.
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
  const tracks = new Map<string, ScenarioTrack[]>();
  const findings = new Map<string, ReturnType<typeof cameraFindingsOf>>();
  const startOf = new Map<string, number>();
  const cameraIds = new Map<string, number>();
  let from = Infinity;

  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
    await seedCity(db.pool, { rtspBase: 'rtsp://127.0.0.1:8554' });
    const cams = await db.pool.query<{ id: string; code: string }>('SELECT id, code FROM cameras');
    for (const c of cams.rows) cameraIds.set(c.code, Number(c.id));
    const now = Date.now();
    let n = 0;
    for (const sc of scenarios) {
      const built = new Map<string, { vehicleId: number; legStarts: number[] }>();
      const mine: ScenarioTrack[] = [];
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
        startOf.set(sc.id, Math.min(startOf.get(sc.id) ?? Infinity, t0));
        built.set(truck.id, { vehicleId, legStarts: draft.legStarts.map((t) => t0 + t) });
        mine.push({
          terminalId,
          plate,
          points: draft.fixes.map((f) => ({
            t: t0 + f.t,
            lon: f.lon,
            lat: f.lat,
            speed: f.speedKmh ?? 0,
            heading: 90,
            // A terminal without a load sensor sends bits 8–9 as 00 ("empty"); the rules ignore them.
            loadState: f.sensorLoad ?? 'empty',
          })),
        });
      }
      tracks.set(sc.id, mine);
      findings.set(sc.id, cameraFindingsOf(sc, built));
      expected.set(
        sc.id,
        expectedOf(sc, built, (code) => cameraIds.get(code) ?? -1),
      );
      vehiclesOf.set(sc.id, new Set([...built.values()].map((b) => b.vehicleId)));
    }
    gps = await startGpsHarness({ pool: db.pool, redis: r.redis, queues: r.ctx });
    stopRules = await startTestRulesWorker(testConfig(), db, r.ctx, 'rules-scenarios');
  }, 60_000);

  afterAll(async () => {
    await stopRules?.();
    await gps?.close();
    await r.cleanup();
    await db.cleanup();
  });

  it('every scenario: exactly its expected incidents (precision and recall 1.0)', async () => {
    const harness = gps as GpsHarness;
    const cameraQueue = new TypedQueue('camera-events', r.ctx);
    let findingsQueued = 0;
    const drained = async (): Promise<void> => {
      await harness.intake.publisher.idle();
      for (let i = 0; i < 300; i++) {
        const c = await harness.queue.queue.getJobCounts('wait', 'active', 'delayed');
        const e = await cameraQueue.queue.getJobCounts('completed');
        if ((c.wait ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0 && (e.completed ?? 0) >= findingsQueued)
          return;
        await new Promise((res) => setTimeout(res, 100));
      }
    };
    const play = async (ids: string[]): Promise<void> => {
      for (const id of ids)
        for (const f of findings.get(id) ?? []) {
          await cameraQueue.add({
            cameraId: cameraIds.get(f.camera) ?? -1,
            type: f.type,
            startedAt: new Date(f.t).toISOString(),
            trackIds: [1],
            confidence: f.confidence,
          });
          findingsQueued++;
        }
      await drained(); // the findings are waiting in the rules before the first point arrives
      const mine = ids.flatMap((id) => tracks.get(id) ?? []);
      const sent = await replayFleet(mine, { host: '127.0.0.1', port: harness.port, speedup: 0 });
      expect(sent.acked).toBe(mine.reduce((s, t) => s + t.points.length, 0));
      await drained();
    };
    const withCamera = scenarios
      .filter((sc) => sc.camera.length > 0)
      .sort((a, b) => (startOf.get(a.id) ?? 0) - (startOf.get(b.id) ?? 0));
    for (const sc of withCamera) await play([sc.id]);
    await play(scenarios.filter((sc) => sc.camera.length === 0).map((sc) => sc.id));
    await cameraQueue.close();

    // Every acknowledged point is stored or quarantined (the jumps), and went on to the rules.
    const points = [...tracks.values()].flat().reduce((s, t) => s + t.points.length, 0);
    const jumps = scenarios
      .flatMap((sc) => sc.trucks.flatMap((t) => t.legs))
      .filter((l) => 'jump' in l).length;
    expect(harness.intake.publisher.stats.queued).toBe(points - jumps);
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
    // Nothing was raised that belongs to no scenario (a camera finding linked to no truck, say).
    const ours = new Set([...vehiclesOf.values()].flatMap((v) => [...v]));
    expect(
      incidents.filter((d) => !d.vehicles.some((v) => ours.has(v.vehicleId))).map((d) => d.dedupeKey),
    ).toEqual([]);
    // Every GPS rule and a camera link are exercised by some scenario, and distractors are among them.
    expect([...covered].sort()).toEqual([
      'cross_border_dumping',
      'off_hours',
      'route_deviation',
      'uncovered_load',
      'unpermitted_stop',
    ]);
    expect(scenarios.filter((sc) => sc.expect.length === 0).length).toBeGreaterThanOrEqual(5);
  }, 60_000);
});

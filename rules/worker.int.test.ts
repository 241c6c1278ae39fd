import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import {
  clipQueueFor,
  readAudit,
  verifyChain,
  createLogger,
  createRedis,
  TypedQueue,
  type JobOf,
  type MuckError,
  type Runtime,
} from '../core/index.js';
import {
  createTestDatabase,
  createTestRedis,
  testConfig,
  type TestDatabase,
  type TestRedis,
} from '../core/testing/services.js';
import { canonicalIncident } from './incidents.js';
import { loadIncidents, transitionIncident } from './pg/incident-repo.js';
import { loadWorld } from './pg/world-load.js';
import { saveZones } from './pg/world-repo.js';
import { DEFAULT_PARAMS } from './params.js';
import { replayPeriod } from './replay.js';
import { drive, park, track } from './scenario.js';
import { CAMERA, P, T0, TEST_ZONES } from './test-world.js';
import { startRulesWorker, type RulesWorkerStats } from './worker.js';
import type { Fix } from './world.js';

/** The worker over real PostGIS + Redis: queues in, incidents/alerts/clip jobs out, and a replay of the stored period gives the same incidents. */
describe('rules worker (PostGIS + Redis)', () => {
  let db: TestDatabase;
  let r: TestRedis;
  let stop: (() => Promise<void>) | undefined;
  let start: (warmupS: number) => Promise<RulesWorkerStats> = () => Promise.reject(new Error('not set up'));
  const alerts: Record<string, unknown>[] = [];
  const sub = createRedis(testConfig().redis.url, { lazy: true });

  // Truck 1: loaded at CS1, stands 10 min in view of camera 7 (dumping seen), leaves → unpermitted_stop + camera, one case.
  const t1 = park(track(1, P.cs1, T0), 300);
  drive(t1, [120.0801, 30.0501], 40);
  const seen = t1.t + 240_000;
  park(t1, 600, 5);
  drive(t1, [120.12, 30.06], 40);
  // Truck 2: loaded at CS1, unloads across the border, comes back → cross_border_dumping.
  const t2 = park(track(2, P.cs1, T0 + 4000), 300);
  drive(t2, P.nextMid, 60);
  park(t2, 600, 5);
  drive(t2, P.homeMid, 60);
  const fixes: Fix[] = [...t1.fixes, ...t2.fixes].sort((a, b) => a.t - b.t || a.vehicleId - b.vehicleId);
  const from = new Date(T0 - 60_000);
  const to = new Date(Math.max(t1.t, t2.t) + 60_000);

  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
    const pool = db.pool;
    await saveZones(
      pool,
      TEST_ZONES.map(({ id: _id, ...z }) => z),
    );
    await pool.query(`INSERT INTO vehicles (id, plate) VALUES (1, '浙A00001'), (2, '浙A00002')`);
    await pool.query(`INSERT INTO terminals (terminal_id, vehicle_id) VALUES ('013900000002', 2)`);
    const fp = [...(CAMERA.footprint?.[0] ?? []), CAMERA.footprint?.[0]?.[0]]
      .map((p) => `${p?.[0]} ${p?.[1]}`)
      .join(',');
    await pool.query(
      `INSERT INTO cameras (id, code, name, rtsp_main_url, position, footprint, road_heading_deg)
       VALUES (7, 'CAM-7', 'Gate road', 'rtsp://127.0.0.1/cam7', ST_SetSRID(ST_MakePoint(120.08, 30.0497), 4326),
               ST_GeomFromText('POLYGON((${fp}))', 4326), 90)`,
    );
    // As the GPS gateway does: every point stored (truck 2 by terminal id only) …
    for (const f of fixes) {
      await pool.query(
        `INSERT INTO gps_points (device_id, vehicle_id, fix_time, geom, speed_kmh, source)
         VALUES ($1, $2, $3, ST_SetSRID(ST_MakePoint($4, $5), 4326), $6, 'jt808')`,
        [
          f.vehicleId === 2 ? '013900000002' : 'dev-1',
          f.vehicleId === 2 ? null : 1,
          new Date(f.t),
          f.lon,
          f.lat,
          f.speedKmh,
        ],
      );
    }
    await sub.connect();
    await sub.subscribe(`${r.ctx.prefix}:alerts`);
    sub.on('message', (_ch: string, msg: string) => alerts.push(JSON.parse(msg) as Record<string, unknown>));
    const base = testConfig();
    const config = {
      ...base,
      database: db.config,
      redis: { ...base.redis, prefix: r.ctx.prefix },
      log: { level: 'silent' as const },
      rules: { ...base.rules, homeJurisdiction: '' },
    };
    start = async (warmupS: number) => {
      const c = { ...config, rules: { ...config.rules, warmupS, refreshS: 1 } };
      const rt: Runtime = {
        config: c,
        log: createLogger(c, 'rules-worker-test'),
        pool,
        redis: createRedis(c.redis.url),
        queues: r.ctx,
      };
      const w = await startRulesWorker(rt);
      stop = async () => {
        await w.stop();
        rt.redis.disconnect();
      };
      return w.stats;
    };
    // Camera 7 is recorded by pipeline node "node-a" (its lease): clip jobs go to that node's queue.
    await r.redis.set(`${r.ctx.prefix}:lease:camera:7`, 'node-a|token');
    await start(0);
  });

  afterAll(async () => {
    await stop?.();
    sub.disconnect();
    await r.cleanup();
    await db.cleanup();
  });

  it('turns queued points and a camera event into exactly the expected incidents, once', async () => {
    const gps = new TypedQueue('gps-points', r.ctx);
    const cam = new TypedQueue('camera-events', r.ctx);
    const event: JobOf<'camera-events'> = {
      cameraId: 7,
      type: 'dumping',
      startedAt: new Date(seen).toISOString(),
      trackIds: [5],
      confidence: 0.9,
    };
    await cam.add(event);
    await cam.add(event); // delivered twice: still one incident
    await cam.add({
      ...event,
      endedAt: new Date(seen + 90_000).toISOString(),
      trackIds: [5, 6],
      confidence: 0.95,
      bestFrame: {
        at: new Date(seen + 30_000).toISOString(),
        frameSeq: 150,
        trackId: 5,
        box: { x: 1340, y: 500, w: 200, h: 100 },
        frame: { width: 1920, height: 1080 },
      },
    }); // closed
    // The camera saw it live, before GPS time passed it by the link lag: let its phases be taken
    // in first (the two queues are consumed independently, and a job carries many points).
    for (let i = 0; i < 200 && ((await cam.queue.getJobCounts('completed')).completed ?? 0) < 3; i++)
      await new Promise((res) => setTimeout(res, 50));
    const points = fixes.map((f) => ({
      deviceId: f.vehicleId === 2 ? '13900000002' : 'dev-1',
      ...(f.vehicleId === 1 ? { vehicleId: 1 } : {}),
      fixTime: new Date(f.t).toISOString(),
      lon: f.lon,
      lat: f.lat,
      ...(f.speedKmh === null ? {} : { speedKmh: f.speedKmh }),
      statusBits: 0,
      alarmBits: 0,
      source: 'jt808' as const,
    }));
    // Several points per job, as the GPS intake publishes them; jobs are consumed in order.
    const perJob = Math.ceil(points.length / 3);
    for (let i = 0; i < points.length; i += perJob) await gps.add({ points: points.slice(i, i + perJob) });
    const waiting = new Queue('gps-points', { connection: createRedis(r.ctx.url), prefix: r.ctx.prefix });
    const deadline = Date.now() + 45_000;
    let rows: { type: string; camera_id: string | null; n: string }[];
    while (Date.now() < deadline) {
      const counts = await waiting.getJobCounts('wait', 'active');
      rows = (
        await db.pool.query<{ type: string; camera_id: string | null; n: string }>(
          'SELECT type, camera_id, count(*) OVER () AS n FROM incidents ORDER BY type',
        )
      ).rows;
      if ((counts.wait ?? 0) === 0 && (counts.active ?? 0) === 0 && rows.length >= 2) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    await waiting.close();
    await new Promise((res) => setTimeout(res, 500));
    rows = (
      await db.pool.query<{ type: string; camera_id: string | null; n: string }>(
        'SELECT type, camera_id, count(*) OVER () AS n FROM incidents ORDER BY type',
      )
    ).rows;
    expect(rows.map((x) => `${x.type}/${x.camera_id ?? '-'}`)).toEqual([
      'cross_border_dumping/-',
      'unpermitted_stop/7',
    ]);
    const links = await db.pool.query<{ vehicle_id: string; rank: number }>(
      'SELECT vehicle_id, rank FROM incident_vehicles ORDER BY vehicle_id',
    );
    expect(links.rows.map((l) => Number(l.vehicle_id))).toEqual([1, 2]);
    const cams = await db.pool.query<{ track_ids: string[]; ended_at: Date | null; image_x: number | null }>(
      'SELECT track_ids, ended_at, image_x FROM rules_camera_events',
    );
    // Where in the picture the finding sat is kept for replays: box centre 1440 of 1920 px.
    expect(cams.rows).toEqual([{ track_ids: ['5', '6'], ended_at: new Date(seen + 90_000), image_x: 0.75 }]);
    expect(
      alerts
        .filter((a) => a.event === 'created')
        .map((a) => a.type)
        .sort(),
    ).toEqual(['dumping', 'cross_border_dumping'].sort());
    const clipQueue = new Queue(clipQueueFor('node-a'), {
      connection: createRedis(r.ctx.url),
      prefix: r.ctx.prefix,
    });
    const clips = await clipQueue.getJobs(['wait', 'delayed']);
    await clipQueue.close();
    expect(clips.map((j) => (j.data as JobOf<'clips'>).cameraId)).toEqual([7]);
    const holds = await db.pool.query<{ camera_id: string }>('SELECT camera_id FROM recording_holds');
    expect(holds.rows.map((h) => Number(h.camera_id))).toEqual([7]); // kept from retention until cut
    await gps.close();
    await cam.close();
  });

  it('a replay of the stored period gives the same incidents, byte for byte', async () => {
    const { world } = await loadWorld(db.pool, { ...DEFAULT_PARAMS });
    const replay = await replayPeriod(db.pool, world, { from, to });
    const stored = await loadIncidents(db.pool, from, to);
    expect(replay.points).toBe(fixes.length);
    expect(replay.incidents.map(canonicalIncident).join('\n')).toBe(stored.map(canonicalIncident).join('\n'));
    expect(stored).toHaveLength(2);
  });

  it('a restarted worker warms up from the stored past without creating or re-announcing anything', async () => {
    await stop?.();
    stop = undefined;
    const before = alerts.length;
    const stats = await start(Math.ceil((Date.now() - from.getTime()) / 1000) + 60);
    const n = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM incidents');
    expect(Number(n.rows[0]?.n)).toBe(2);
    expect(stats.warmupInputs).toBe(fixes.length + 1); // every stored point and the camera event
    expect(stats.incidentsCreated).toBe(0);
    expect(stats.incidentsUpdated).toBe(0);
    await new Promise((res) => setTimeout(res, 200));
    expect(alerts.length).toBe(before);
  });

  it('picks up a zone drawn while it runs', async () => {
    await stop?.(); // replace the warm-up test's worker
    const fresh = await start(0);
    expect(fresh.reloads).toBe(0);
    const cs2 = TEST_ZONES.filter((z) => z.code === 'CS1').map(({ id: _id, ...z }) => ({
      ...z,
      code: 'CS2',
    }));
    await saveZones(db.pool, cs2);
    const deadline = Date.now() + 10_000;
    while (fresh.reloads === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    expect(fresh.reloads).toBe(1);
  });

  it('moves a case through its lifecycle, timestamped and attributed, with deadlines; refuses a skipped step', async () => {
    const { rows } = await db.pool.query<{ id: string }>(
      "SELECT id FROM incidents WHERE type = 'cross_border_dumping'",
    );
    const id = Number(rows[0]?.id);
    const at0 = Date.parse('2026-03-02T02:00:00Z');
    const step = (to: Parameters<typeof transitionIncident>[2]['to'], min: number) =>
      transitionIncident(db.pool, id, {
        to,
        at: at0 + min * 60_000,
        actor: 'op1',
        actorId: null,
        note: null,
      });
    await expect(step('handled', 0)).rejects.toMatchObject({
      code: 'MW_INCIDENT_TRANSITION',
    } satisfies Partial<MuckError>);
    const reg = await step('registered', 1);
    expect(reg.dueAt).toBe(at0 + 60_000 + 3600_000); // dispatch within 1 h
    await step('dispatched', 2);
    await step('handled', 3);
    const rw = await step('rework', 4);
    expect(rw.reworkCount).toBe(1);
    await step('dispatched', 5);
    await step('handled', 6);
    await step('verified', 7);
    const closed = await step('closed', 8);
    expect(closed.dueAt).toBeNull();
    const tr = await db.pool.query<{ to_status: string; actor: string }>(
      'SELECT to_status, actor FROM incident_transitions WHERE incident_id = $1 ORDER BY id',
      [id],
    );
    expect(tr.rows.map((x) => x.to_status)).toEqual([
      'reported',
      'registered',
      'dispatched',
      'handled',
      'rework',
      'dispatched',
      'handled',
      'verified',
      'closed',
    ]);
    const audit = await readAudit(db.pool, { targetType: 'incident', targetId: String(id) });
    expect(audit.map((a) => `${a.action}/${a.actor}`)).toEqual([
      'incident.reported/rules-worker',
      ...['registered', 'dispatched', 'handled', 'rework', 'dispatched', 'handled', 'verified', 'closed'].map(
        (s) => `incident.${s}/op1`,
      ),
    ]);
    expect(verifyChain(await readAudit(db.pool))).toEqual([]);
    const inc = await db.pool.query<{ status: string; rework_count: number; closed_at: Date }>(
      'SELECT status, rework_count, closed_at FROM incidents WHERE id = $1',
      [id],
    );
    expect(inc.rows[0]).toMatchObject({
      status: 'closed',
      rework_count: 1,
      closed_at: new Date(at0 + 8 * 60_000),
    });
  });
});

import { enqueueClip, typedWorker, type IncidentType, type Runtime, type Stop } from '../core/index.js';
import { advanceTime, newEngineState, stepEngine, type RulesInput } from './engine.js';
import type { IncidentDraft } from './incidents.js';
import { fixFromPayload, observationFromEvent } from './inputs.js';
import type { SlaPolicy } from './lifecycle.js';
import { alertMessage, alertsChannel, camerasFor, clipWindow } from './outputs.js';
import { paramsFromConfig } from './params.js';
import { loadSla, saveObservation, upsertIncident } from './pg/incident-repo.js';
import { loadWorld, type LoadedWorld } from './pg/world-load.js';
import { readInputs } from './replay.js';
import { referenceSignature } from './pg/world-repo.js';

export interface RulesWorkerStats {
  /** Inputs replayed from PostGIS at start (warm-up). */
  warmupInputs: number;
  fixes: number;
  unknownDevice: number;
  incidentsCreated: number;
  incidentsUpdated: number;
  /** Times zones/fleet/cameras/SLA were re-read after a change. */
  reloads: number;
}

/**
 * The rules worker: gps-points (one consumer, jobs of many points, so each vehicle's points stay in order) and camera
 * events in; incidents (PostGIS), alerts (Redis pub/sub) and clip jobs out. Raw per-frame
 * detections are not consumed here: the camera event rules (rules/camera, in the pipeline node)
 * turn them into camera events, and a second consumer would steal jobs from their persister.
 * A camera event arrives as opened → updated → closed with one startedAt: one observation,
 * whose stored row ends as the last phase said.
 * All decisions are in the pure engine; this file only moves data.
 */
export async function startRulesWorker(rt: Runtime): Promise<{ stop: Stop; stats: RulesWorkerStats }> {
  const params = paramsFromConfig(rt.config.rules);
  let ref: LoadedWorld = await loadWorld(rt.pool, params);
  let sla: Map<IncidentType, SlaPolicy> = await loadSla(rt.pool);
  const engine = newEngineState();
  const stats: RulesWorkerStats = {
    warmupInputs: 0,
    fixes: 0,
    unknownDevice: 0,
    incidentsCreated: 0,
    incidentsUpdated: 0,
    reloads: 0,
  };
  const log = rt.log;

  // Outputs are written one at a time, in the order the engine produced them (merges depend on it).
  // A draft that fails to write (database briefly down) stays first in line for the next attempt:
  // the engine has already moved on, so dropping it would lose the incident.
  const backlog: IncidentDraft[] = [];
  let writing: Promise<void> = Promise.resolve();
  const writeOne = async (d: IncidentDraft): Promise<void> => {
    const r = await upsertIncident(rt.pool, d, sla);
    if (!r.changed) return;
    if (r.created) stats.incidentsCreated++;
    else stats.incidentsUpdated++;
    await rt.redis.publish(
      alertsChannel(rt.config.redis.prefix),
      JSON.stringify(alertMessage(r.id, r.incident, r.created ? 'created' : 'updated')),
    );
    for (const cameraId of camerasFor(r.incident, ref.world)) {
      // Routed to the node that records the camera, with the range held from retention;
      // idempotent per incident and camera, so merges and warm-ups do not queue it twice.
      const w = clipWindow(r.incident);
      await enqueueClip(
        {
          pool: rt.pool,
          redis: rt.redis,
          queues: rt.queues,
          segmentSeconds: rt.config.pipeline.segmentSeconds,
        },
        { incidentId: r.id, cameraId, fromMs: Date.parse(w.from), toMs: Date.parse(w.to) },
      );
    }
    log.info({ incident: r.id, key: d.dedupeKey, type: r.incident.type, created: r.created }, 'incident');
  };
  const write = (drafts: IncidentDraft[]): Promise<void> => {
    backlog.push(...drafts);
    if (backlog.length === 0) return writing;
    writing = writing
      .catch(() => undefined)
      .then(async () => {
        while (backlog.length > 0) {
          await writeOne(backlog[0] as IncidentDraft);
          backlog.shift();
        }
      });
    return writing;
  };
  let lastFixWall = Date.now();
  const feed = (input: RulesInput): Promise<void> => write(stepEngine(engine, input, ref.world).outputs);

  // Warm-up: replay the recent past from PostGIS so a restart keeps load states, stops and tracks.
  // Its outputs merge into incidents already stored (no change, no alert); the queued points that
  // are also stored are then recognised as already seen and skipped.
  const warmupS = rt.config.rules.warmupS;
  if (warmupS > 0) {
    const to = new Date();
    const from = new Date(to.getTime() - warmupS * 1000);
    for await (const batch of readInputs(rt.pool, ref.world, from, to)) {
      for (const input of batch) {
        stats.warmupInputs++;
        void write(stepEngine(engine, input, ref.world).outputs);
      }
    }
    await writing;
    log.info(
      { inputs: stats.warmupInputs, from: from.toISOString(), created: stats.incidentsCreated },
      'warm-up replayed',
    );
  }

  const gps = typedWorker(
    'gps-points',
    rt.queues,
    async (job) => {
      // A job carries many points, each vehicle's in order; they are fed one by one, as they came.
      // A retried job re-feeds points the engine already saw: it counts them as duplicates.
      let fed = 0;
      for (const p of job.points) {
        const vehicleId = p.vehicleId ?? ref.terminals.get(p.deviceId.replace(/^0+/, ''));
        if (vehicleId === undefined) {
          stats.unknownDevice++;
          continue;
        }
        stats.fixes++;
        fed++;
        lastFixWall = Date.now();
        const info = ref.world.vehicles.get(vehicleId);
        await feed({ kind: 'fix', fix: fixFromPayload(p, vehicleId, info?.loadSensor ?? false) });
      }
      return fed === 0 ? 'skipped' : 'success';
    },
    { concurrency: 1 },
  );
  const events = typedWorker(
    'camera-events',
    rt.queues,
    async (e) => {
      const obs = observationFromEvent(e);
      await saveObservation(rt.pool, obs);
      await feed({ kind: 'camera', obs });
      return 'success';
    },
    { concurrency: 1 },
  );
  // A stalled GPS feed must not hold camera findings forever: after a link lag without any fix,
  // event time follows the wall clock (this only matters when there is no GPS to link to anyway).
  const lagMs = rt.config.rules.linkLagS * 1000;
  const clock = setInterval(() => {
    if (Date.now() - lastFixWall > lagMs && engine.pendingCamera.length > 0) {
      void write(advanceTime(engine, ref.world, Date.now())).catch((err: unknown) => {
        log.warn({ err: String(err) }, 'incident write failed; retried with the next input');
      });
    }
  }, 5000);

  // Reference data (zones, fleet, cameras, SLA) is re-read when it changes.
  let refreshing = false;
  const timer = setInterval(() => {
    if (refreshing) return;
    refreshing = true;
    void (async () => {
      const sig = await referenceSignature(rt.pool);
      if (sig !== ref.signature) {
        ref = await loadWorld(rt.pool, params);
        sla = await loadSla(rt.pool);
        stats.reloads++;
        log.info(
          { zones: ref.world.zones.zones.length, vehicles: ref.world.vehicles.size },
          'reference data reloaded',
        );
      }
    })()
      .catch((err: unknown) => {
        log.warn({ err: String(err) }, 'reference refresh failed');
      })
      .finally(() => {
        refreshing = false;
      });
  }, rt.config.rules.refreshS * 1000);
  log.info(
    {
      zones: ref.world.zones.zones.length,
      vehicles: ref.world.vehicles.size,
      home: [...ref.world.homeCodes],
    },
    'rules worker started',
  );

  return {
    stats,
    stop: async () => {
      clearInterval(timer);
      clearInterval(clock);
      await Promise.all([gps.close(), events.close()]);
      await writing.catch((err: unknown) => {
        log.error({ err: String(err), pending: backlog.length }, 'incidents not written at stop');
      });
    },
  };
}

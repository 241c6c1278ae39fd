import {
  appendAudit,
  MuckError,
  type IncidentStatus,
  type IncidentType,
  type Pool,
  type PoolClient,
} from '../../core/index.js';
import type { LonLat } from '../geo.js';
import { canonicalIncident, mergeDrafts, type IncidentDraft } from '../incidents.js';
import {
  DEFAULT_SLA,
  dueAt,
  planTransition,
  type SlaPolicy,
  type TransitionPlan,
  type TransitionRequest,
} from '../lifecycle.js';
import type { CameraObservation } from '../world.js';

/**
 * Incidents in PostGIS. Upserts go through the same merge as replay (mergeDrafts), so the stored
 * incident is the fold of every draft emitted for its dedupe key, in emission order.
 */
export interface UpsertResult {
  readonly id: number;
  readonly created: boolean;
  readonly changed: boolean;
  readonly incident: IncidentDraft;
}

interface IncidentRow {
  id: string;
  dedupe_key: string;
  type: IncidentType;
  camera_id: string | null;
  jurisdiction_code: string | null;
  lon: number | null;
  lat: number | null;
  started_at: Date;
  ended_at: Date | null;
  explanation: Record<string, unknown>;
  vehicles: { vehicle_id: number; confidence: number; reason: string; rank: number }[] | null;
}

const SELECT_INCIDENT = `
  SELECT i.id, i.dedupe_key, i.type, i.camera_id, i.jurisdiction_code,
         ST_X(i.location) AS lon, ST_Y(i.location) AS lat, i.started_at, i.ended_at, i.explanation,
         (SELECT json_agg(json_build_object('vehicle_id', v.vehicle_id, 'confidence', v.confidence,
                  'reason', v.reason, 'rank', v.rank) ORDER BY v.rank)
            FROM incident_vehicles v WHERE v.incident_id = i.id) AS vehicles
    FROM incidents i`;

function rowToDraft(r: IncidentRow): IncidentDraft {
  return {
    dedupeKey: r.dedupe_key,
    type: r.type,
    cameraId: r.camera_id === null ? null : Number(r.camera_id),
    jurisdictionCode: r.jurisdiction_code,
    location: r.lon === null || r.lat === null ? null : ([r.lon, r.lat] as LonLat),
    startedAt: r.started_at.getTime(),
    endedAt: r.ended_at ? r.ended_at.getTime() : null,
    explanation: r.explanation,
    vehicles: (r.vehicles ?? []).map((v) => ({
      vehicleId: v.vehicle_id,
      confidence: v.confidence,
      reason: v.reason,
    })),
  };
}

async function writeVehicles(c: PoolClient, id: number, d: IncidentDraft): Promise<void> {
  await c.query('DELETE FROM incident_vehicles WHERE incident_id = $1', [id]);
  let rank = 1;
  for (const v of d.vehicles) {
    await c.query(
      `INSERT INTO incident_vehicles (incident_id, vehicle_id, confidence, reason, rank)
       SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM vehicles WHERE id = $2)`,
      [id, v.vehicleId, v.confidence, v.reason, rank++],
    );
  }
}

const params = (d: IncidentDraft): unknown[] => [
  d.type,
  d.cameraId,
  d.jurisdictionCode,
  d.location?.[0] ?? null,
  d.location?.[1] ?? null,
  new Date(d.startedAt),
  d.endedAt === null ? null : new Date(d.endedAt),
  JSON.stringify(d.explanation),
];

export async function loadSla(pool: Pool): Promise<Map<IncidentType, SlaPolicy>> {
  const { rows } = await pool.query<{
    type: IncidentType;
    register_s: number;
    dispatch_s: number;
    handle_s: number;
    verify_s: number;
  }>('SELECT type, register_s, dispatch_s, handle_s, verify_s FROM incident_sla');
  const m = new Map<IncidentType, SlaPolicy>(Object.entries(DEFAULT_SLA) as [IncidentType, SlaPolicy][]);
  for (const r of rows)
    m.set(r.type, {
      registerS: r.register_s,
      dispatchS: r.dispatch_s,
      handleS: r.handle_s,
      verifyS: r.verify_s,
    });
  return m;
}

/** Create, or merge into the incident with the same dedupe key. Exactly one row per key, however often. */
export async function upsertIncident(
  pool: Pool,
  d: IncidentDraft,
  sla: Map<IncidentType, SlaPolicy>,
): Promise<UpsertResult> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const ins = await c.query<{ id: string; reported_at: Date }>(
      `INSERT INTO incidents (dedupe_key, type, camera_id, jurisdiction_code, location, started_at, ended_at, explanation)
       VALUES ($9, $1, $2, $3, CASE WHEN $4::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($4, $5), 4326) END,
               $6, $7, $8)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, reported_at`,
      [...params(d), d.dedupeKey],
    );
    const created = ins.rows[0];
    if (created) {
      const id = Number(created.id);
      const policy = sla.get(d.type) ?? DEFAULT_SLA[d.type];
      const due = dueAt('reported', created.reported_at.getTime(), policy);
      await c.query('UPDATE incidents SET sla_due_at = $2 WHERE id = $1', [
        id,
        due === null ? null : new Date(due),
      ]);
      await c.query(
        `INSERT INTO incident_transitions (incident_id, from_status, to_status, at, actor, due_at)
         VALUES ($1, NULL, 'reported', $2, 'rules-worker', $3)`,
        [id, created.reported_at, due === null ? null : new Date(due)],
      );
      await writeVehicles(c, id, d);
      await c.query('COMMIT');
      await appendAudit(pool, {
        at: created.reported_at,
        actor: 'rules-worker',
        actorId: null,
        action: 'incident.reported',
        targetType: 'incident',
        targetId: String(id),
        details: {
          dedupeKey: d.dedupeKey,
          type: d.type,
          dueAt: due === null ? null : new Date(due).toISOString(),
        },
      });
      return { id, created: true, changed: true, incident: d };
    }
    const { rows } = await c.query<IncidentRow>(
      `${SELECT_INCIDENT} WHERE i.dedupe_key = $1 FOR UPDATE OF i`,
      [d.dedupeKey],
    );
    const row = rows[0];
    if (!row) throw new Error(`incident ${d.dedupeKey} vanished during upsert`);
    const before = rowToDraft(row);
    const merged = mergeDrafts(before, d);
    const changed = canonicalIncident(merged) !== canonicalIncident(before);
    if (changed) {
      await c.query(
        `UPDATE incidents SET type = $1, camera_id = $2, jurisdiction_code = $3,
           location = CASE WHEN $4::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($4, $5), 4326) END,
           started_at = $6, ended_at = $7, explanation = $8, updated_at = now()
         WHERE id = $9`,
        [...params(merged), row.id],
      );
      await writeVehicles(c, Number(row.id), merged);
    }
    await c.query('COMMIT');
    return { id: Number(row.id), created: false, changed, incident: merged };
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  } finally {
    c.release();
  }
}

/** Stored incidents that started in [from, to), as drafts (for replay comparison and export). */
export async function loadIncidents(pool: Pool, from: Date, to: Date): Promise<IncidentDraft[]> {
  const { rows } = await pool.query<IncidentRow>(
    `${SELECT_INCIDENT} WHERE i.started_at >= $1 AND i.started_at < $2 ORDER BY i.dedupe_key`,
    [from, to],
  );
  return rows.map(rowToDraft);
}

/** Move a case one lifecycle step: timestamped, attributed, with the next deadline; refused when not allowed. */
export async function transitionIncident(
  pool: Pool,
  incidentId: number,
  req: TransitionRequest,
  sla?: Map<IncidentType, SlaPolicy>,
): Promise<TransitionPlan> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const { rows } = await c.query<{
      status: IncidentStatus;
      type: IncidentType;
      rework_count: number;
      sla_due_at: Date | null;
    }>('SELECT status, type, rework_count, sla_due_at FROM incidents WHERE id = $1 FOR UPDATE', [incidentId]);
    const cur = rows[0];
    if (!cur) throw new MuckError('MW_NOT_FOUND', `No incident ${incidentId}`);
    const policy = sla?.get(cur.type) ?? (await loadSla(pool)).get(cur.type) ?? DEFAULT_SLA[cur.type];
    const plan = planTransition(
      { status: cur.status, reworkCount: cur.rework_count, slaDueAt: cur.sla_due_at?.getTime() ?? null },
      req,
      policy,
    );
    const due = plan.dueAt === null ? null : new Date(plan.dueAt);
    const setCol = plan.column ? `, ${plan.column} = $5` : '';
    await c.query(
      `UPDATE incidents SET status = $2, sla_due_at = $3, rework_count = $4, updated_at = now()${setCol} WHERE id = $1`,
      plan.column
        ? [incidentId, plan.to, due, plan.reworkCount, new Date(plan.at)]
        : [incidentId, plan.to, due, plan.reworkCount],
    );
    await c.query(
      `INSERT INTO incident_transitions (incident_id, from_status, to_status, at, actor, actor_id, note, due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [incidentId, plan.from, plan.to, new Date(plan.at), req.actor, req.actorId, req.note, due],
    );
    await c.query('COMMIT');
    // The full-process enforcement record (执法全过程记录): every step in the hash-chained audit log.
    await appendAudit(pool, {
      at: new Date(plan.at),
      actor: req.actor,
      actorId: req.actorId,
      action: `incident.${plan.to}`,
      targetType: 'incident',
      targetId: String(incidentId),
      details: {
        from: plan.from,
        to: plan.to,
        dueAt: due?.toISOString() ?? null,
        late: plan.late,
        note: req.note,
      },
    });
    return plan;
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  } finally {
    c.release();
  }
}

/**
 * Keep a camera observation the rules consumed, so a replay sees the same inputs. Later phases of
 * the same event (same camera, type, start) replace its end, tracks and confidence, as the live
 * merge does.
 */
export async function saveObservation(pool: Pool, o: CameraObservation): Promise<void> {
  await pool.query(
    `INSERT INTO rules_camera_events (camera_id, type, observed_at, ended_at, track_ids, confidence, image_x)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (camera_id, type, observed_at) DO UPDATE SET ended_at = EXCLUDED.ended_at,
       track_ids = EXCLUDED.track_ids, confidence = EXCLUDED.confidence, image_x = EXCLUDED.image_x`,
    [
      o.cameraId,
      o.type,
      new Date(o.t),
      o.endT === null ? null : new Date(o.endT),
      o.trackIds,
      o.confidence,
      o.imageX ?? null,
    ],
  );
}

export async function loadObservations(pool: Pool, from: Date, to: Date): Promise<CameraObservation[]> {
  const { rows } = await pool.query<{
    camera_id: string;
    type: CameraObservation['type'];
    observed_at: Date;
    ended_at: Date | null;
    track_ids: string[];
    confidence: number;
    image_x: number | null;
  }>(
    `SELECT camera_id, type, observed_at, ended_at, track_ids, confidence, image_x FROM rules_camera_events
      WHERE observed_at >= $1 AND observed_at < $2 ORDER BY observed_at, camera_id, type`,
    [from, to],
  );
  return rows.map((r) => ({
    cameraId: Number(r.camera_id),
    type: r.type,
    t: r.observed_at.getTime(),
    endT: r.ended_at ? r.ended_at.getTime() : null,
    trackIds: r.track_ids.map(Number),
    confidence: r.confidence,
    imageX: r.image_x,
  }));
}

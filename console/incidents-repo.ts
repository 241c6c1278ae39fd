import { MuckError, type Pool } from '../core/index.js';
import type { SessionUser } from './auth/sessions.js';
import { incidentScope } from './scope.js';

/** Reads of incidents for the console, always through the caller's scope. */
export interface IncidentFilter {
  type?: string;
  status?: string;
  jurisdiction?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

interface ListRow {
  id: string;
  type: string;
  status: string;
  jurisdiction_code: string | null;
  camera_id: string | null;
  lon: number | null;
  lat: number | null;
  started_at: Date;
  reported_at: Date;
  sla_due_at: Date | null;
  plate: string | null;
  total: string;
}

export async function listIncidents(pool: Pool, user: SessionUser, f: IncidentFilter) {
  const args: unknown[] = [];
  const where = incidentScope(user, args);
  const add = (sql: string, v: unknown): void => {
    args.push(v);
    where.push(sql.replace('?', `$${String(args.length)}`));
  };
  if (f.type) add('i.type = ?', f.type);
  if (f.status) add('i.status = ?', f.status);
  if (f.jurisdiction) add('i.jurisdiction_code = ?', f.jurisdiction);
  if (f.from) add('i.started_at >= ?', new Date(f.from));
  if (f.to) add('i.started_at < ?', new Date(f.to));
  args.push(f.pageSize, (f.page - 1) * f.pageSize);
  const { rows } = await pool.query<ListRow>(
    `SELECT i.id, i.type, i.status, i.jurisdiction_code, i.camera_id, ST_X(i.location) AS lon,
            ST_Y(i.location) AS lat, i.started_at, i.reported_at, i.sla_due_at,
            (SELECT v.plate FROM incident_vehicles iv JOIN vehicles v ON v.id = iv.vehicle_id
              WHERE iv.incident_id = i.id ORDER BY iv.rank LIMIT 1) AS plate,
            count(*) OVER () AS total
       FROM incidents i ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY i.reported_at DESC, i.id DESC
      LIMIT $${String(args.length - 1)} OFFSET $${String(args.length)}`,
    args,
  );
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && f.page > 1) {
    // Past the last page: still say how many there are.
    const c = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM incidents i ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      args.slice(0, -2),
    );
    total = Number(c.rows[0]?.n ?? 0);
  }
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      type: r.type,
      status: r.status,
      jurisdictionCode: r.jurisdiction_code,
      cameraId: r.camera_id === null ? null : Number(r.camera_id),
      location: r.lon === null || r.lat === null ? null : [r.lon, r.lat],
      startedAt: r.started_at.toISOString(),
      reportedAt: r.reported_at.toISOString(),
      slaDueAt: iso(r.sla_due_at),
      plate: r.plate,
    })),
    page: f.page,
    pageSize: f.pageSize,
    total,
  };
}

/** One incident the user may see, or MW_NOT_FOUND (out of scope reads the same as absent). */
export async function loadVisibleIncident(pool: Pool, user: SessionUser, id: number) {
  const args: unknown[] = [id];
  const where = ['i.id = $1', ...incidentScope(user, args)];
  const { rows } = await pool.query<{
    id: string;
    type: string;
    status: string;
    dedupe_key: string;
    jurisdiction_code: string | null;
    camera_id: string | null;
    camera_name: string | null;
    lon: number | null;
    lat: number | null;
    started_at: Date;
    ended_at: Date | null;
    reported_at: Date;
    sla_due_at: Date | null;
    rework_count: number;
    explanation: Record<string, unknown>;
  }>(
    `SELECT i.id, i.type, i.status, i.dedupe_key, i.jurisdiction_code, i.camera_id, c.name AS camera_name,
            ST_X(i.location) AS lon, ST_Y(i.location) AS lat, i.started_at, i.ended_at, i.reported_at,
            i.sla_due_at, i.rework_count, i.explanation
       FROM incidents i LEFT JOIN cameras c ON c.id = i.camera_id WHERE ${where.join(' AND ')}`,
    args,
  );
  const r = rows[0];
  if (!r)
    throw new MuckError('MW_NOT_FOUND', `Incident ${String(id)} does not exist or is outside your scope.`);
  return {
    id: Number(r.id),
    type: r.type,
    status: r.status,
    dedupeKey: r.dedupe_key,
    jurisdictionCode: r.jurisdiction_code,
    cameraId: r.camera_id === null ? null : Number(r.camera_id),
    cameraName: r.camera_name,
    location: r.lon === null || r.lat === null ? null : [r.lon, r.lat],
    startedAt: r.started_at.toISOString(),
    endedAt: iso(r.ended_at),
    reportedAt: r.reported_at.toISOString(),
    slaDueAt: iso(r.sla_due_at),
    reworkCount: r.rework_count,
    explanation: r.explanation,
  };
}

/** GPS context shown with a case: this long before its start and after its end. */
const TRACK_MARGIN_MS = 10 * 60_000;
const TRACK_MAX_POINTS = 2000;

export async function incidentExtras(pool: Pool, id: number, startedAt: string, endedAt: string | null) {
  const vehicles = await pool.query<{
    vehicle_id: string;
    plate: string;
    company: string | null;
    confidence: number;
    reason: string;
    rank: number;
  }>(
    `SELECT iv.vehicle_id, v.plate, c.name AS company, iv.confidence, iv.reason, iv.rank
       FROM incident_vehicles iv JOIN vehicles v ON v.id = iv.vehicle_id
       LEFT JOIN companies c ON c.id = v.company_id
      WHERE iv.incident_id = $1 ORDER BY iv.rank, iv.confidence DESC`,
    [id],
  );
  const from = new Date(Date.parse(startedAt) - TRACK_MARGIN_MS);
  const to = new Date(Date.parse(endedAt ?? startedAt) + TRACK_MARGIN_MS);
  const track = await pool.query<{
    vehicle_id: string;
    fix_time: Date;
    lon: number;
    lat: number;
    speed_kmh: number | null;
    load_state: string | null;
  }>(
    `SELECT vehicle_id, fix_time, ST_X(geom) AS lon, ST_Y(geom) AS lat, speed_kmh, load_state
       FROM gps_points WHERE vehicle_id = ANY($1::bigint[]) AND fix_time BETWEEN $2 AND $3
      ORDER BY vehicle_id, fix_time LIMIT ${String(TRACK_MAX_POINTS)}`,
    [vehicles.rows.map((v) => v.vehicle_id), from, to],
  );
  const evidence = await pool.query<{
    id: string;
    kind: string;
    status: string;
    sha256: string | null;
    size_bytes: string | null;
    duration_s: number | null;
    camera_id: string | null;
    range_start: Date | null;
    range_end: Date | null;
    missing_reason: string | null;
    legal_hold: boolean;
    created_at: Date;
    captured_by: string | null;
  }>(
    `SELECT e.id, e.kind, e.status, e.sha256, e.size_bytes, e.duration_s, e.camera_id, e.range_start,
            e.range_end, e.missing_reason, e.legal_hold, e.created_at, u.username AS captured_by
       FROM evidence e LEFT JOIN users u ON u.id = e.captured_by WHERE e.incident_id = $1 ORDER BY e.id`,
    [id],
  );
  const transitions = await pool.query<{
    from_status: string | null;
    to_status: string;
    at: Date;
    actor: string;
    note: string | null;
    due_at: Date | null;
  }>(
    `SELECT from_status, to_status, at, actor, note, due_at FROM incident_transitions
      WHERE incident_id = $1 ORDER BY at, id`,
    [id],
  );
  const dispatches = await pool.query<{
    id: string;
    team_id: string;
    team: string;
    dispatched_at: Date;
    due_at: Date | null;
    accepted_at: Date | null;
    handled_at: Date | null;
    notes: string | null;
  }>(
    `SELECT d.id, d.team_id, t.name AS team, d.dispatched_at, d.due_at, d.accepted_at, d.handled_at, d.notes
       FROM dispatches d JOIN teams t ON t.id = d.team_id WHERE d.incident_id = $1 ORDER BY d.id`,
    [id],
  );
  return {
    vehicles: vehicles.rows.map((v) => ({
      vehicleId: Number(v.vehicle_id),
      plate: v.plate,
      company: v.company,
      confidence: v.confidence,
      reason: v.reason,
      rank: v.rank,
    })),
    track: track.rows.map((p) => ({
      vehicleId: Number(p.vehicle_id),
      t: p.fix_time.toISOString(),
      lon: p.lon,
      lat: p.lat,
      speedKmh: p.speed_kmh,
      loadState: p.load_state,
    })),
    evidence: evidence.rows.map((e) => ({
      id: Number(e.id),
      kind: e.kind,
      status: e.status,
      sha256: e.sha256,
      sizeBytes: e.size_bytes === null ? null : Number(e.size_bytes),
      durationS: e.duration_s,
      cameraId: e.camera_id === null ? null : Number(e.camera_id),
      rangeStart: iso(e.range_start),
      rangeEnd: iso(e.range_end),
      missingReason: e.missing_reason,
      legalHold: e.legal_hold,
      createdAt: e.created_at.toISOString(),
      capturedBy: e.captured_by,
    })),
    transitions: transitions.rows.map((t) => ({
      from: t.from_status,
      to: t.to_status,
      at: t.at.toISOString(),
      actor: t.actor,
      note: t.note,
      dueAt: iso(t.due_at),
    })),
    dispatches: dispatches.rows.map((d) => ({
      id: Number(d.id),
      teamId: Number(d.team_id),
      team: d.team,
      dispatchedAt: d.dispatched_at.toISOString(),
      dueAt: iso(d.due_at),
      acceptedAt: iso(d.accepted_at),
      handledAt: iso(d.handled_at),
      notes: d.notes,
    })),
  };
}

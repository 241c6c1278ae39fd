import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { strToU8 } from 'fflate';
import { appendAudit, readAudit } from '../audit/index.js';
import type { Pool } from '../db/index.js';
import { MuckError } from '../errors.js';
import { buildPackage, type PackageFile } from './package.js';
import type { EvidenceKind, EvidenceStore } from './store.js';

const NAME: Record<Exclude<EvidenceKind, 'export'>, string> = {
  clip: 'clip',
  snapshot: 'snapshot',
  track: 'boxes',
};
const EXT: Record<Exclude<EvidenceKind, 'export'>, string> = { clip: 'mp4', snapshot: 'jpg', track: 'json' };

/** GPS context around the incident: this long before its start and after its end. */
const TRACK_MARGIN_MS = 10 * 60_000;

/**
 * Build an incident's signed evidence package: clip(s), snapshot(s), box tracks, the incident
 * with its rule explanation and linked vehicles, their GPS track excerpt, and the audit excerpt.
 * The export itself is stored as evidence and audited.
 */
export async function exportIncident(
  deps: { pool: Pool; store: EvidenceStore; signingKey: KeyObject; outDir: string },
  incidentId: number,
  actor: { id: number | null; name: string },
): Promise<{ path: string; sha256: string; files: string[] }> {
  const { pool, store } = deps;
  const inc = await pool.query<Record<string, unknown> & { started_at: Date; ended_at: Date | null }>(
    `SELECT id, type, status, camera_id, jurisdiction_code, ST_AsGeoJSON(location)::json AS location,
            started_at, ended_at, explanation, reported_at, registered_at, dispatched_at, handled_at,
            verified_at, closed_at
     FROM incidents WHERE id = $1`,
    [incidentId],
  );
  const incident = inc.rows[0];
  if (!incident) throw new MuckError('MW_NOT_FOUND', `Incident ${String(incidentId)} does not exist.`);
  const vehicles = await pool.query<{
    vehicle_id: string;
    plate: string;
    confidence: number;
    reason: string;
  }>(
    `SELECT iv.vehicle_id, v.plate, iv.confidence, iv.reason FROM incident_vehicles iv
     JOIN vehicles v ON v.id = iv.vehicle_id WHERE iv.incident_id = $1 ORDER BY iv.confidence DESC`,
    [incidentId],
  );
  const from = new Date(incident.started_at.getTime() - TRACK_MARGIN_MS);
  const to = new Date((incident.ended_at ?? incident.started_at).getTime() + TRACK_MARGIN_MS);
  const track = await pool.query(
    `SELECT vehicle_id, fix_time, ST_X(geom) AS lon, ST_Y(geom) AS lat, speed_kmh, heading_deg, load_state
     FROM gps_points WHERE vehicle_id = ANY($1::bigint[]) AND fix_time BETWEEN $2 AND $3
     ORDER BY vehicle_id, fix_time`,
    [vehicles.rows.map((v) => v.vehicle_id), from, to],
  );
  const ev = await pool.query<{
    id: string;
    kind: Exclude<EvidenceKind, 'export'>;
    sha256: string;
    camera_id: string | null;
  }>(
    `SELECT id, kind, sha256, camera_id FROM evidence
     WHERE incident_id = $1 AND status = 'ready' AND kind <> 'export' ORDER BY id`,
    [incidentId],
  );

  const files: PackageFile[] = [];
  for (const e of ev.rows) {
    const name = `${NAME[e.kind]}-${e.camera_id ?? 'x'}-${e.id}.${EXT[e.kind]}`;
    files.push({ name, bytes: await readFile(store.pathOf(e.sha256, e.kind)) });
  }
  const evidenceIds = ev.rows.map((e) => e.id);
  const audit = [
    ...(await readAudit(pool, { targetType: 'incident', targetId: String(incidentId) })),
    ...(
      await Promise.all(evidenceIds.map((id) => readAudit(pool, { targetType: 'evidence', targetId: id })))
    ).flat(),
  ].sort((a, b) => a.id - b.id);
  const json = (name: string, value: unknown): PackageFile => ({
    name,
    bytes: strToU8(JSON.stringify(value, null, 2)),
  });
  files.push(
    json('incident.json', { ...incident, vehicles: vehicles.rows }),
    json('gps-track.json', track.rows),
    json('audit.json', audit),
  );

  const createdAt = new Date().toISOString();
  const zip = buildPackage(files, { incidentId, createdAt }, deps.signingKey);
  await mkdir(deps.outDir, { recursive: true });
  const tmp = join(deps.outDir, `incident-${String(incidentId)}-${String(Date.now())}.zip`);
  await writeFile(tmp, zip);
  const stored = await store.put(tmp, 'export');
  await store.record({ incidentId, kind: 'export' }, stored);
  await appendAudit(pool, {
    actorId: actor.id,
    actor: actor.name,
    action: 'evidence.export',
    targetType: 'incident',
    targetId: String(incidentId),
    details: { sha256: stored.sha256, files: files.map((f) => f.name) },
  });
  return { path: stored.path, sha256: stored.sha256, files: files.map((f) => f.name) };
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { appendAudit } from '../audit/index.js';
import type { Pool } from '../db/index.js';
import { MuckError } from '../errors.js';

export type EvidenceKind = 'clip' | 'snapshot' | 'track' | 'export';
const EXT: Record<EvidenceKind, string> = { clip: 'mp4', snapshot: 'jpg', track: 'json', export: 'zip' };

export interface EvidenceMeta {
  readonly incidentId: number;
  readonly kind: EvidenceKind;
  readonly cameraId?: number | null;
  readonly rangeStartMs?: number | null;
  readonly rangeEndMs?: number | null;
  readonly durationS?: number | null;
  readonly codec?: string | null;
}

export interface StoredFile {
  readonly sha256: string;
  readonly size: number;
  readonly path: string;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const ts = (ms: number | null | undefined): Date | null =>
  ms === null || ms === undefined ? null : new Date(ms);

/**
 * Content-addressed, write-once evidence files (`<root>/<aa>/<sha256>.<ext>`, read-only) with
 * their metadata in PostgreSQL. The same bytes are stored once, whatever references them.
 */
export class EvidenceStore {
  constructor(
    private readonly pool: Pool,
    readonly root: string,
  ) {}

  pathOf(sha256: string, kind: EvidenceKind): string {
    return join(this.root, sha256.slice(0, 2), `${sha256}.${EXT[kind]}`);
  }

  /** Move a finished file into the store; returns its hash. The source file is consumed. */
  async put(srcPath: string, kind: EvidenceKind): Promise<StoredFile> {
    const sha256 = await sha256File(srcPath);
    const path = this.pathOf(sha256, kind);
    await mkdir(join(this.root, sha256.slice(0, 2)), { recursive: true });
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (exists) await rm(srcPath, { force: true });
    else {
      await rename(srcPath, path);
      await chmod(path, 0o444);
    }
    return { sha256, size: (await stat(path)).size, path };
  }

  async record(meta: EvidenceMeta, file: StoredFile): Promise<number> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO evidence (incident_id, kind, status, sha256, size_bytes, duration_s, codec, camera_id, range_start, range_end)
       VALUES ($1, $2, 'ready', $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        meta.incidentId,
        meta.kind,
        file.sha256,
        file.size,
        meta.durationS ?? null,
        meta.codec ?? null,
        meta.cameraId ?? null,
        ts(meta.rangeStartMs),
        ts(meta.rangeEndMs),
      ],
    );
    return Number(rows[0]?.id);
  }

  /** The clip could not be made: say so, with the reason, instead of skipping it. */
  async recordMissing(meta: EvidenceMeta, reason: string): Promise<number> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO evidence (incident_id, kind, status, camera_id, range_start, range_end, missing_reason)
       VALUES ($1, $2, 'missing', $3, $4, $5, $6) RETURNING id`,
      [meta.incidentId, meta.kind, meta.cameraId ?? null, ts(meta.rangeStartMs), ts(meta.rangeEndMs), reason],
    );
    return Number(rows[0]?.id);
  }

  /** Recompute a stored file's hash: true when it is exactly what was recorded. */
  async verify(id: number): Promise<{ ok: boolean; sha256: string | null; actual: string | null }> {
    const row = await this.row(id);
    if (!row.sha256 || row.status !== 'ready') return { ok: false, sha256: row.sha256, actual: null };
    const actual = await sha256File(this.pathOf(row.sha256, row.kind)).catch(() => null);
    return { ok: actual === row.sha256, sha256: row.sha256, actual };
  }

  async setLegalHold(id: number, hold: boolean, actor: { id: number | null; name: string }): Promise<void> {
    await this.row(id);
    await this.pool.query('UPDATE evidence SET legal_hold = $2 WHERE id = $1', [id, hold]);
    await appendAudit(this.pool, {
      actorId: actor.id,
      actor: actor.name,
      action: hold ? 'evidence.hold' : 'evidence.release_hold',
      targetType: 'evidence',
      targetId: String(id),
      details: {},
    });
  }

  /**
   * Delete one evidence file: an audited act that leaves a tombstone (the row keeps its hash,
   * status 'deleted'). Refused under legal hold.
   */
  async delete(id: number, actor: { id: number | null; name: string }, reason: string): Promise<void> {
    const row = await this.row(id);
    if (row.legalHold) {
      throw new MuckError(
        'MW_EVIDENCE_ON_HOLD',
        `Evidence ${String(id)} is under legal hold; release the hold first.`,
      );
    }
    if (row.status === 'deleted') return;
    await this.pool.query("UPDATE evidence SET status = 'deleted', deleted_at = now() WHERE id = $1", [id]);
    if (row.sha256) {
      const others = await this.pool.query(
        "SELECT 1 FROM evidence WHERE sha256 = $1 AND status = 'ready' AND id <> $2 LIMIT 1",
        [row.sha256, id],
      );
      if (others.rowCount === 0) await rm(this.pathOf(row.sha256, row.kind), { force: true });
    }
    await appendAudit(this.pool, {
      actorId: actor.id,
      actor: actor.name,
      action: 'evidence.delete',
      targetType: 'evidence',
      targetId: String(id),
      details: { reason, sha256: row.sha256, incidentId: row.incidentId, kind: row.kind },
    });
  }

  /**
   * Retention: evidence of cases closed more than `closedDays` ago, or older than `maxDays`,
   * is deleted (audited), except under legal hold. Returns the ids deleted.
   */
  async applyRetention(policy: { maxDays: number; closedDays: number }, nowMs: number): Promise<number[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT e.id FROM evidence e JOIN incidents i ON i.id = e.incident_id
       WHERE e.status IN ('ready', 'missing') AND NOT e.legal_hold
         AND (e.created_at < to_timestamp($1 / 1000.0) - make_interval(days => $2)
              OR (i.status = 'closed' AND i.closed_at < to_timestamp($1 / 1000.0) - make_interval(days => $3)))
       ORDER BY e.id`,
      [nowMs, policy.maxDays, policy.closedDays],
    );
    const ids = rows.map((r) => Number(r.id));
    for (const id of ids) await this.delete(id, { id: null, name: 'retention' }, 'retention policy');
    return ids;
  }

  async row(id: number): Promise<{
    id: number;
    incidentId: number;
    kind: EvidenceKind;
    status: string;
    sha256: string | null;
    legalHold: boolean;
  }> {
    const { rows } = await this.pool.query<{
      incident_id: string;
      kind: EvidenceKind;
      status: string;
      sha256: string | null;
      legal_hold: boolean;
    }>('SELECT incident_id, kind, status, sha256, legal_hold FROM evidence WHERE id = $1', [id]);
    const r = rows[0];
    if (!r) throw new MuckError('MW_NOT_FOUND', `Evidence ${String(id)} does not exist.`);
    return {
      id,
      incidentId: Number(r.incident_id),
      kind: r.kind,
      status: r.status,
      sha256: r.sha256,
      legalHold: r.legal_hold,
    };
  }
}

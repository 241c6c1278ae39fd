import { rm } from 'node:fs/promises';
import type { Pool } from '../../core/index.js';
import type { RecordedSegment, RecordingGap } from './health.js';
import { selectForDeletion, type RetentionPolicy } from './retention.js';

export interface IndexedSegment {
  readonly id: number;
  readonly path: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly bytes: number;
  readonly nodeId: string;
}

export interface RangeCover {
  readonly segments: IndexedSegment[];
  readonly gaps: { startMs: number; endMs: number | null; cause: string }[];
}

const ms = (d: Date): number => d.getTime();

/** The ring buffer's index in PostgreSQL: segments, gaps and holds per camera. */
export class RecordingIndex {
  constructor(private readonly pool: Pool) {}

  async addSegment(seg: RecordedSegment, nodeId: string, leaseToken: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO recording_segments (camera_id, node_id, path, starts_at, ends_at, bytes, lease_token)
       VALUES ($1, $2, $3, to_timestamp($4 / 1000.0), to_timestamp($5 / 1000.0), $6, $7)
       ON CONFLICT (path) DO NOTHING`,
      [seg.cameraId, nodeId, seg.path, seg.startMs, seg.endMs, seg.bytes, leaseToken],
    );
  }

  async addGap(gap: RecordingGap): Promise<void> {
    await this.pool.query(
      `INSERT INTO recording_gaps (camera_id, starts_at, ends_at, cause)
       VALUES ($1, to_timestamp($2 / 1000.0), to_timestamp($3 / 1000.0), $4)`,
      [gap.cameraId, gap.startMs, gap.endMs, gap.cause],
    );
  }

  /** Segments and gaps that overlap [fromMs, toMs], in time order: what a clip of that range needs. */
  async cover(cameraId: number, fromMs: number, toMs: number): Promise<RangeCover> {
    const seg = await this.pool.query<{
      id: string;
      path: string;
      s: Date;
      e: Date;
      bytes: string;
      node_id: string;
    }>(
      `SELECT id, path, starts_at AS s, ends_at AS e, bytes, node_id FROM recording_segments
       WHERE camera_id = $1 AND deleted_at IS NULL
         AND starts_at < to_timestamp($3 / 1000.0) AND ends_at > to_timestamp($2 / 1000.0)
       ORDER BY starts_at`,
      [cameraId, fromMs, toMs],
    );
    const gaps = await this.pool.query<{ s: Date; e: Date | null; cause: string }>(
      `SELECT starts_at AS s, ends_at AS e, cause FROM recording_gaps
       WHERE camera_id = $1 AND starts_at < to_timestamp($3 / 1000.0)
         AND (ends_at IS NULL OR ends_at > to_timestamp($2 / 1000.0))
       ORDER BY starts_at`,
      [cameraId, fromMs, toMs],
    );
    return {
      segments: seg.rows.map((r) => ({
        id: Number(r.id),
        path: r.path,
        startMs: ms(r.s),
        endMs: ms(r.e),
        bytes: Number(r.bytes),
        nodeId: r.node_id,
      })),
      gaps: gaps.rows.map((r) => ({ startMs: ms(r.s), endMs: r.e ? ms(r.e) : null, cause: r.cause })),
    };
  }

  async hold(
    cameraId: number,
    fromMs: number,
    toMs: number,
    reason: string,
    incidentId?: number,
  ): Promise<number> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO recording_holds (camera_id, starts_at, ends_at, reason, incident_id)
       VALUES ($1, to_timestamp($2 / 1000.0), to_timestamp($3 / 1000.0), $4, $5) RETURNING id`,
      [cameraId, fromMs, toMs, reason, incidentId ?? null],
    );
    return Number(rows[0]?.id);
  }

  /**
   * Apply retention to one camera on this node: delete the chosen files, then mark their rows.
   * Returns what was deleted and the bytes still over budget because of holds.
   */
  async applyRetention(
    cameraId: number,
    nodeId: string,
    policy: RetentionPolicy,
    nowMs: number,
  ): Promise<{ deleted: number; overBudgetBytes: number }> {
    const seg = await this.pool.query<{ id: string; path: string; s: Date; e: Date; bytes: string }>(
      `SELECT id, path, starts_at AS s, ends_at AS e, bytes FROM recording_segments
       WHERE camera_id = $1 AND node_id = $2 AND deleted_at IS NULL`,
      [cameraId, nodeId],
    );
    const holds = await this.pool.query<{ s: Date; e: Date }>(
      `SELECT starts_at AS s, ends_at AS e FROM recording_holds WHERE camera_id = $1`,
      [cameraId],
    );
    const segments = seg.rows.map((r) => ({
      id: Number(r.id),
      path: r.path,
      startMs: ms(r.s),
      endMs: ms(r.e),
      bytes: Number(r.bytes),
    }));
    const chosen = selectForDeletion(
      segments,
      holds.rows.map((h) => ({ fromMs: ms(h.s), toMs: ms(h.e) })),
      nowMs,
      policy,
    );
    const paths = new Map(segments.map((s) => [s.id, s.path]));
    for (const s of chosen) await rm(paths.get(s.id) ?? '', { force: true });
    if (chosen.length > 0) {
      await this.pool.query('UPDATE recording_segments SET deleted_at = now() WHERE id = ANY($1::bigint[])', [
        chosen.map((s) => s.id),
      ]);
    }
    const left = segments.reduce((sum, s) => sum + s.bytes, 0) - chosen.reduce((sum, s) => sum + s.bytes, 0);
    return { deleted: chosen.length, overBudgetBytes: Math.max(0, left - policy.maxBytes) };
  }
}

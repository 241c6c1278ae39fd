import type { Pool } from '../core/index.js';

export interface DetectionRow {
  readonly cameraId: number;
  readonly frameTime: number;
  readonly frameSeq: number;
  readonly cls: string;
  readonly confidence: number;
  readonly box: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly trackId: number | null;
  readonly model: string;
}

/**
 * Detections are written in batches (one multi-row INSERT per flush), never per frame. If the
 * database is briefly away the rows wait, bounded: past `maxPending` the oldest are dropped and
 * counted (they also live in the evidence track of any incident that needed them).
 */
export class DetectionWriter {
  private pending: DetectionRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  dropped = 0;
  written = 0;

  constructor(
    private readonly pool: Pool,
    private readonly opts: { flushMs: number; maxPending: number } = { flushMs: 500, maxPending: 50_000 },
  ) {}

  add(rows: readonly DetectionRow[]): void {
    this.pending.push(...rows);
    const over = this.pending.length - this.opts.maxPending;
    if (over > 0) {
      this.pending.splice(0, over);
      this.dropped += over;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.opts.flushMs);
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeAll());
    return this.flushing;
  }

  private async writeAll(): Promise<void> {
    while (this.pending.length > 0) {
      const rows = this.pending.slice(0, 1000);
      const values: unknown[] = [];
      const tuples = rows.map((r, i) => {
        values.push(
          r.cameraId,
          r.frameTime,
          r.frameSeq,
          r.cls,
          r.confidence,
          r.box.x,
          r.box.y,
          r.box.w,
          r.box.h,
          r.trackId,
          r.model,
        );
        const o = i * 11;
        const p = (k: number): string => `$${String(o + k)}`;
        return `(${p(1)}, to_timestamp(${p(2)} / 1000.0), ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)})`;
      });
      try {
        await this.pool.query(
          `INSERT INTO detections (camera_id, frame_time, frame_seq, class, confidence, box_x, box_y, box_w, box_h, track_id, model)
           VALUES ${tuples.join(', ')}`,
          values,
        );
      } catch {
        return; // keep them for the next flush
      }
      this.pending.splice(0, rows.length);
      this.written += rows.length;
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.flush();
  }
}

import type { Redis } from 'ioredis';
import { MuckError, type Logger } from '../../core/index.js';
import type { Rejected } from './filters.js';
import type { GpsPoint } from './point.js';
import type { PointStore } from './store.js';

export interface WriterSettings {
  readonly batchSize: number;
  readonly flushMs: number;
  /** Points the Redis spool may hold while PostgreSQL is away. */
  readonly spoolMaxPoints: number;
  /** Redis key of this gateway's spool (a list of JSON batches, oldest first). */
  readonly spoolKey: string;
  readonly retryMs?: number;
  /**
   * Each batch is split by device into this many parts, written at once on separate connections
   * (a device is always in the same part, so its points stay in order).
   */
  readonly writeLanes?: number;
}

interface Entry {
  readonly points: readonly GpsPoint[];
  readonly rejected: readonly Rejected[];
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

export interface SpooledBatch {
  readonly points: GpsPoint[];
  readonly rejected: Rejected[];
}

/**
 * Batches accepted and quarantined points into PostgreSQL. `write` resolves once the points
 * are durable — committed, or (when PostgreSQL is down) appended to a bounded Redis spool that
 * is replayed, in order, when it returns. While the spool holds anything, new batches join its
 * tail so each vehicle's points reach the database and the queue in the order they came.
 * `onStored` receives the points PostgreSQL took as new, in that order.
 */
export class PointWriter {
  private pending: Entry[] = [];
  private pendingPoints = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private spooled = 0;
  private draining: Promise<void> | null = null;
  private closed = false;
  readonly stats = {
    stored: 0,
    duplicates: 0,
    quarantined: 0,
    spooledBatches: 0,
    refused: 0,
    batches: 0,
    writeMs: 0,
  };

  constructor(
    private readonly store: PointStore,
    private readonly redis: Redis,
    private readonly s: WriterSettings,
    private readonly onStored: (points: GpsPoint[]) => void,
    private readonly log?: Logger,
  ) {}

  /** Pick up a spool left by an earlier run (replayed before anything new is written). */
  async start(): Promise<void> {
    const batches = await this.redis.lrange(this.s.spoolKey, 0, -1);
    this.spooled = batches.reduce((n, b) => n + (JSON.parse(b) as SpooledBatch).points.length, 0);
    if (batches.length > 0) this.drain();
  }

  write(points: readonly GpsPoint[], rejected: readonly Rejected[] = []): Promise<void> {
    if (points.length === 0 && rejected.length === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(new MuckError('MW_GPS_UNAVAILABLE', 'the GPS writer is closed'));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ points, rejected, resolve, reject });
      this.pendingPoints += points.length + rejected.length;
      if (this.pendingPoints >= this.s.batchSize) this.kick();
      else
        this.timer ??= setTimeout(() => {
          this.kick();
        }, this.s.flushMs);
    });
  }

  get spooledPoints(): number {
    return this.spooled;
  }

  /** Write what is pending and wait for the spool to empty (or give up when PostgreSQL stays away). */
  async close(): Promise<void> {
    this.closed = true;
    while (this.pending.length > 0 || this.flushing) {
      this.kick();
      await this.flushing;
    }
    if (this.timer) clearTimeout(this.timer);
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = null;
      if (this.pendingPoints >= this.s.batchSize || (this.closed && this.pending.length > 0)) this.kick();
      else if (this.pending.length > 0)
        this.timer ??= setTimeout(() => {
          this.kick();
        }, this.s.flushMs);
    });
  }

  private async flush(): Promise<void> {
    const batch: Entry[] = [];
    let n = 0;
    while (this.pending.length > 0 && (batch.length === 0 || n < this.s.batchSize)) {
      const e = this.pending.shift() as Entry;
      batch.push(e);
      n += e.points.length + e.rejected.length;
    }
    this.pendingPoints -= n;
    const points = batch.flatMap((e) => e.points);
    const rejected = batch.flatMap((e) => e.rejected);
    let spool: SpooledBatch = { points, rejected };
    if (this.spooled === 0 && !this.draining) {
      const parts = byDevice(points, rejected, this.s.writeLanes ?? 1);
      const t = performance.now();
      const results = await Promise.allSettled(parts.map((p) => this.store.write(p.points, p.rejected)));
      this.stats.writeMs += performance.now() - t;
      this.stats.batches++;
      const unavailable: SpooledBatch[] = [];
      let refused: Error | null = null;
      for (const [i, r] of results.entries()) {
        const part = parts[i] as SpooledBatch;
        if (r.status === 'fulfilled') this.stored(part.points, part.rejected, r.value);
        else if (isUnavailable(r.reason)) unavailable.push(part);
        else refused = r.reason as Error;
      }
      if (refused) {
        // Parts already committed stay committed: the terminal's re-send finds them stored.
        const message = refused.message;
        this.log?.error({ err: message }, 'PostgreSQL refused a GPS batch');
        for (const e of batch) e.reject(new MuckError('MW_GPS_WRITE_FAILED', message));
        return;
      }
      if (unavailable.length === 0) {
        for (const e of batch) e.resolve();
        return;
      }
      this.log?.warn('PostgreSQL unavailable: spooling GPS points');
      // Only the parts that did not commit; their devices are in no committed part of this batch.
      spool = {
        points: unavailable.flatMap((u) => u.points),
        rejected: unavailable.flatMap((u) => u.rejected),
      };
    }
    try {
      await this.spool(spool);
      for (const e of batch) e.resolve();
    } catch (err) {
      this.stats.refused += n;
      for (const e of batch) e.reject(err as Error);
    }
    this.drain();
  }

  private async spool(b: SpooledBatch): Promise<void> {
    if (this.spooled + b.points.length > this.s.spoolMaxPoints) {
      throw new MuckError('MW_GPS_UNAVAILABLE', `the GPS spool is full (${String(this.spooled)} points)`);
    }
    await this.redis.rpush(this.s.spoolKey, JSON.stringify(b));
    this.spooled += b.points.length;
    this.stats.spooledBatches++;
  }

  /** Replay the spool oldest first; an entry leaves it only after PostgreSQL committed it. */
  private drain(): void {
    this.draining ??= (async () => {
      for (;;) {
        const head = await this.redis.lindex(this.s.spoolKey, 0).catch(() => undefined);
        if (head === null) break;
        if (head !== undefined) {
          const b = JSON.parse(head) as SpooledBatch;
          try {
            this.stored(b.points, b.rejected, await this.store.write(b.points, b.rejected));
            await this.redis.lpop(this.s.spoolKey);
            this.spooled -= b.points.length;
            continue;
          } catch (err) {
            if (!isUnavailable(err)) {
              // A batch PostgreSQL will never take must not block the spool forever; it is set
              // aside (not dropped) for a person to look at.
              this.log?.error(
                { err: (err as Error).message },
                'setting aside an unwritable spooled GPS batch',
              );
              await this.redis.rpush(`${this.s.spoolKey}:unwritable`, head);
              await this.redis.lpop(this.s.spoolKey);
              this.spooled -= b.points.length;
              continue;
            }
          }
        }
        await new Promise((r) => setTimeout(r, this.s.retryMs ?? 1000));
      }
      this.log?.info('GPS spool replayed');
    })().finally(() => {
      this.draining = null;
      // A batch spooled while the last read came back empty still needs a drainer.
      if (this.spooled > 0) this.drain();
    });
  }

  private stored(points: readonly GpsPoint[], rejected: readonly Rejected[], fresh: GpsPoint[]): void {
    this.stats.stored += fresh.length;
    this.stats.duplicates += points.length - fresh.length;
    this.stats.quarantined += rejected.length;
    if (fresh.length > 0) this.onStored(fresh);
  }
}

/** Errors that mean "PostgreSQL is not there right now" (worth spooling), not "this batch is wrong". */
export function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true; // socket errors, timeouts
  return code.startsWith('08') || code.startsWith('57P') || code.startsWith('53');
}

/** A batch split into `lanes` parts by device (a device always lands in the same part); empty parts dropped. */
export function byDevice(
  points: readonly GpsPoint[],
  rejected: readonly Rejected[],
  lanes: number,
): SpooledBatch[] {
  if (lanes <= 1) return [{ points: [...points], rejected: [...rejected] }];
  const parts: SpooledBatch[] = Array.from({ length: lanes }, () => ({ points: [], rejected: [] }));
  for (const p of points) (parts[laneOf(p.deviceId, lanes)] as SpooledBatch).points.push(p);
  for (const r of rejected) (parts[laneOf(r.point.deviceId, lanes)] as SpooledBatch).rejected.push(r);
  return parts.filter((p) => p.points.length > 0 || p.rejected.length > 0);
}

function laneOf(deviceId: string, lanes: number): number {
  let h = 0;
  for (let i = 0; i < deviceId.length; i++) h = (h * 31 + deviceId.charCodeAt(i)) | 0;
  return (h >>> 0) % lanes;
}

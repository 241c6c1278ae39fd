import type { Redis } from 'ioredis';
import type { Config, Logger, Pool, TypedQueue } from '../../core/index.js';
import { PointFilter, type FilterSettings, type Rejected } from './filters.js';
import type { GpsPoint } from './point.js';
import { PointPublisher } from './publisher.js';
import { PointStore } from './store.js';
import { PointWriter, type WriterSettings } from './writer.js';

/**
 * The path every position takes, whatever brought it: filters → PostgreSQL (or the spool)
 * → reorder → queue + live map. `submit` resolves when the accepted points are durable, which
 * is when the gateway may acknowledge them.
 */
export interface IntakeSettings extends FilterSettings, WriterSettings {}

/** Parts of a batch written at once (PostgreSQL inserts on two connections overlap on two cores). */
const WRITE_LANES = 2;

export function intakeSettings(gps: Config['gps'], spoolKey: string): IntakeSettings {
  return {
    reorderToleranceMs: gps.reorderToleranceS * 1000,
    futureToleranceMs: gps.futureToleranceS * 1000,
    maxAgeMs: gps.maxAgeHours * 3_600_000,
    maxSpeedKmh: gps.maxSpeedKmh,
    jumpMinDistanceM: gps.jumpMinDistanceM,
    jumpReanchorCount: 3,
    batchSize: gps.batchSize,
    flushMs: gps.flushMs,
    spoolMaxPoints: gps.spoolMaxPoints,
    spoolKey,
    writeLanes: WRITE_LANES,
  };
}

export interface SubmitResult {
  readonly accepted: number;
  readonly rejected: readonly Rejected[];
}

export interface Intake {
  submit(points: readonly GpsPoint[]): Promise<SubmitResult>;
}

export interface IntakeDeps {
  readonly pool: Pool;
  readonly redis: Redis;
  readonly queue: TypedQueue<'gps-points'>;
  readonly prefix: string;
  readonly settings: IntakeSettings;
  readonly log?: Logger;
  readonly now?: () => number;
}

export class GpsIntake implements Intake {
  readonly filter: PointFilter;
  readonly writer: PointWriter;
  readonly publisher: PointPublisher;
  private readonly now: () => number;

  constructor(d: IntakeDeps) {
    this.now = d.now ?? Date.now;
    this.filter = new PointFilter(d.settings);
    this.publisher = new PointPublisher(
      d.queue,
      d.redis,
      d.prefix,
      d.settings.reorderToleranceMs,
      this.now,
      d.log,
    );
    this.writer = new PointWriter(
      new PointStore(d.pool),
      d.redis,
      d.settings,
      (p) => {
        this.publisher.stored(p);
      },
      d.log,
    );
  }

  start(): Promise<void> {
    return this.writer.start();
  }

  async submit(points: readonly GpsPoint[]): Promise<SubmitResult> {
    const screened = this.filter.screen(points, this.now());
    const { accepted, rejected } = screened;
    try {
      await this.writer.write(accepted, rejected);
    } catch (err) {
      this.filter.undo(screened);
      throw err;
    }
    return { accepted: accepted.length, rejected };
  }

  async close(): Promise<void> {
    await this.writer.close();
    await this.publisher.close();
  }
}

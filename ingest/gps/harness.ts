import type { Redis } from 'ioredis';
import {
  TypedQueue,
  type GpsPointPayload,
  type JobOf,
  type Pool,
  type QueueContext,
} from '../../core/index.js';
import { Jt808Gateway } from './gateway.js';
import { GpsIntake, type IntakeSettings } from './intake.js';
import { PgTerminalRegistry } from './registry.js';

/**
 * A complete GPS intake on a given database and Redis prefix (tests and benchmarks): the same
 * parts bin/gps-gateway.ts wires, with settings a test can tighten.
 */
export const TEST_INTAKE_SETTINGS: Omit<IntakeSettings, 'spoolKey'> = {
  reorderToleranceMs: 0,
  futureToleranceMs: 300_000,
  maxAgeMs: 7 * 86_400_000,
  maxSpeedKmh: 180,
  jumpMinDistanceM: 500,
  jumpReanchorCount: 3,
  batchSize: 2000,
  flushMs: 10,
  spoolMaxPoints: 1_000_000,
  retryMs: 200,
  writeLanes: 2,
};

export interface Harness {
  readonly intake: GpsIntake;
  readonly gateway: Jt808Gateway;
  readonly queue: TypedQueue<'gps-points'>;
  readonly port: number;
  close(): Promise<void>;
}

export async function startHarness(o: {
  pool: Pool;
  redis: Redis;
  queues: QueueContext;
  settings?: Partial<IntakeSettings>;
  heartbeatTimeoutMs?: number;
  subpackageTimeoutMs?: number;
}): Promise<Harness> {
  const queue = new TypedQueue('gps-points', o.queues);
  const intake = new GpsIntake({
    pool: o.pool,
    redis: o.redis,
    queue,
    prefix: o.queues.prefix,
    settings: { ...TEST_INTAKE_SETTINGS, spoolKey: `${o.queues.prefix}:gps:spool:test`, ...o.settings },
  });
  await intake.start();
  const gateway = new Jt808Gateway({
    host: '127.0.0.1',
    port: 0,
    heartbeatTimeoutMs: o.heartbeatTimeoutMs ?? 60_000,
    subpackageTimeoutMs: o.subpackageTimeoutMs ?? 60_000,
    registry: new PgTerminalRegistry(o.pool),
    intake,
  });
  const { port } = await gateway.listen();
  return {
    intake,
    gateway,
    queue,
    port,
    close: async () => {
      await gateway.close();
      await intake.close();
      await queue.close();
    },
  };
}

/** Vehicles and terminals, bound or not (terminal ids are stored 12-digit padded, as 2013 sends them). */
export async function seedFleet(
  pool: Pool,
  rows: readonly { plate?: string; terminalId?: string; bind?: boolean }[],
): Promise<void> {
  for (const r of rows) {
    let vehicleId: string | null = null;
    if (r.plate) {
      const v = await pool.query<{ id: string }>('INSERT INTO vehicles (plate) VALUES ($1) RETURNING id', [
        r.plate,
      ]);
      vehicleId = v.rows[0]?.id ?? null;
    }
    if (r.terminalId) {
      await pool.query('INSERT INTO terminals (terminal_id, vehicle_id) VALUES ($1, $2)', [
        r.terminalId.padStart(12, '0'),
        r.bind ? vehicleId : null,
      ]);
    }
  }
}

/** The points waiting on a `gps-points` queue, oldest job first (each job's points in its order). */
export async function queuedPoints(queue: TypedQueue<'gps-points'>): Promise<GpsPointPayload[]> {
  const jobs = await queue.queue.getJobs(['waiting'], 0, -1, true);
  return jobs.flatMap((j) => (j.data as JobOf<'gps-points'>).points);
}

import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { MuckError } from '../errors.js';
import { parsePayload, type JobOf, type QueueName } from './catalog.js';

export interface QueueContext {
  /** Redis URL; each queue/worker opens its own connection (BullMQ blocks on worker connections). */
  readonly url: string;
  /** Key prefix: the deployment's, or a per-test one. */
  readonly prefix: string;
}

export type JobStatus = 'success' | 'skipped';

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
};

export function createRedis(url: string, opts: { lazy?: boolean } = {}): Redis {
  // maxRetriesPerRequest: null is required by BullMQ for blocking worker connections.
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: opts.lazy ?? false });
}

/** Ping Redis once with a short timeout; a coded error that says what to do when it fails. */
export async function assertRedisReachable(url: string): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new MuckError(
      'MW_REDIS_UNREACHABLE',
      `REDIS_URL=${url.replace(/(\/\/[^@]*:)[^@]*@/, '$1***@')}: ${(err as Error).message}. ` +
        'Run `npm run services` to start a local Redis, or set REDIS_URL to a reachable server.',
    );
  } finally {
    redis.disconnect();
  }
}

export class TypedQueue<N extends QueueName> {
  readonly queue: Queue;
  private readonly connection: Redis;
  constructor(
    readonly name: N,
    ctx: QueueContext,
    physicalName: string = name,
  ) {
    this.connection = createRedis(ctx.url);
    this.queue = new Queue(physicalName, {
      connection: this.connection,
      prefix: ctx.prefix,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    });
  }

  /** Validates before enqueueing: a producer bug fails loudly here, not in a consumer later. */
  async add(payload: JobOf<N>, opts?: JobsOptions): Promise<Job> {
    const parsed = parsePayload(this.name, payload);
    if (!parsed.ok) {
      throw new MuckError('MW_JOB_PAYLOAD_INVALID', `Refusing to enqueue on ${this.name}: ${parsed.reason}`);
    }
    return this.queue.add(this.name, parsed.value, opts);
  }

  async close(): Promise<void> {
    await this.queue.close();
    // BullMQ leaves connections it was handed open.
    this.connection.disconnect();
  }
}

export interface TypedWorkerOptions {
  readonly physicalName?: string;
  readonly concurrency?: number;
  readonly worker?: Partial<WorkerOptions>;
}

/**
 * A worker whose handler only ever sees valid payloads. Invalid ones go to `dead-letter` with
 * the reason and fail without retry (UnrecoverableError).
 */
export function typedWorker<N extends QueueName>(
  name: N,
  ctx: QueueContext,
  handler: (payload: JobOf<N>, job: Job) => Promise<JobStatus>,
  opts: TypedWorkerOptions = {},
): { worker: Worker; close: () => Promise<void> } {
  const deadLetter = new TypedQueue('dead-letter', ctx);
  const connection = createRedis(ctx.url);
  const worker = new Worker(
    opts.physicalName ?? name,
    async (job: Job) => {
      const parsed = parsePayload(name, job.data);
      if (!parsed.ok) {
        await deadLetter.add({
          queue: opts.physicalName ?? name,
          jobId: job.id,
          reason: parsed.reason,
          payload: job.data as unknown,
          at: new Date().toISOString(),
        });
        throw new UnrecoverableError(`MW_JOB_PAYLOAD_INVALID: ${parsed.reason}`);
      }
      return handler(parsed.value, job);
    },
    { connection, prefix: ctx.prefix, concurrency: opts.concurrency ?? 1, ...opts.worker },
  );
  // Errors are reported per job (failed event); a connection blip must not crash the process.
  worker.on('error', () => undefined);
  return {
    worker,
    close: async () => {
      await worker.close();
      connection.disconnect();
      await deadLetter.close();
    },
  };
}

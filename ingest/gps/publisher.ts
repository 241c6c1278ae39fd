import type { Redis } from 'ioredis';
import {
  GPS_POINTS_PER_JOB,
  gpsPointPayload,
  type GpsPointPayload,
  type JobOf,
  type Logger,
  type TypedQueue,
} from '../../core/index.js';
import { toPayload, type GpsPoint } from './point.js';
import { ReorderBuffer } from './reorder.js';

/**
 * After PostgreSQL: stored points update the latest-position hash (live map) at once, and wait
 * in the reorder buffer before they go — per vehicle in fix-time order — to the `gps-points`
 * queue (for the rules), many points per job. Publishing is one chain, so a batch never
 * overtakes the one before it; when Redis is away the chain retries the same step until it is
 * back.
 */
const LATEST_SCRIPT = `
for i = 1, #ARGV, 3 do
  local cur = tonumber(redis.call('HGET', KEYS[2], ARGV[i]))
  if (not cur) or cur <= tonumber(ARGV[i + 1]) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  end
end
return 0`;

export function latestKeys(prefix: string): { positions: string; times: string } {
  return { positions: `${prefix}:gps:latest`, times: `${prefix}:gps:latest:t` };
}

export class PointPublisher {
  private readonly reorder: ReorderBuffer;
  private chain: Promise<void> = Promise.resolve();
  private ticker: NodeJS.Timeout;
  readonly stats = { queued: 0, jobs: 0, invalid: 0, retries: 0, publishMs: 0 };

  constructor(
    private readonly queue: TypedQueue<'gps-points'>,
    private readonly redis: Redis,
    private readonly prefix: string,
    toleranceMs: number,
    private readonly now: () => number = Date.now,
    private readonly log?: Logger,
  ) {
    this.reorder = new ReorderBuffer(toleranceMs);
    this.ticker = setInterval(() => {
      this.enqueue(this.reorder.release(this.now()));
    }, 250);
    this.ticker.unref();
  }

  /** Points PostgreSQL just stored: the live map moves now; the queue gets them in order. */
  stored(points: GpsPoint[]): void {
    this.chain = this.chain.then(() => this.updateLatest(points));
    this.enqueue(this.reorder.add(points, this.now()));
  }

  get held(): number {
    return this.reorder.size;
  }

  get late(): number {
    return this.reorder.late;
  }

  /** Resolves when everything handed over so far has been published. */
  idle(): Promise<void> {
    return this.chain;
  }

  async close(): Promise<void> {
    clearInterval(this.ticker);
    this.enqueue(this.reorder.drain());
    await this.chain;
  }

  private enqueue(points: GpsPoint[]): void {
    if (points.length === 0) return;
    this.chain = this.chain.then(() => this.publish(points));
  }

  private async publish(points: GpsPoint[]): Promise<void> {
    const payloads: GpsPointPayload[] = [];
    for (const p of points) {
      const parsed = gpsPointPayload.safeParse(toPayload(p));
      if (!parsed.success) {
        this.stats.invalid++;
        this.log?.error(
          {
            reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
            deviceId: p.deviceId,
          },
          'GPS point does not fit the queue schema',
        );
        continue;
      }
      payloads.push(parsed.data);
    }
    if (payloads.length === 0) return;
    const jobs = pointJobs(payloads);
    await this.retrying(async () => {
      const t = performance.now();
      await this.queue.queue.addBulk(jobs);
      this.stats.jobs += jobs.length;
      this.stats.queued += payloads.length;
      this.stats.publishMs += performance.now() - t;
    });
  }

  /** The newest position per device, never replaced by an older one (the script compares fix times). */
  private async updateLatest(points: GpsPoint[]): Promise<void> {
    const newest = new Map<string, GpsPoint>();
    for (const p of points) {
      const cur = newest.get(p.deviceId);
      if (!cur || cur.fixTimeMs <= p.fixTimeMs) newest.set(p.deviceId, p);
    }
    const keys = latestKeys(this.prefix);
    const args = [...newest.values()].flatMap((p) => [
      p.deviceId,
      String(p.fixTimeMs),
      JSON.stringify(toPayload(p)),
    ]);
    if (args.length === 0) return;
    await this.retrying(() => this.redis.eval(LATEST_SCRIPT, 2, keys.positions, keys.times, ...args));
  }

  /** Redis away: retry the same step (with backoff) until it is back, holding up what follows. */
  private async retrying(step: () => Promise<unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await step();
        return;
      } catch (err) {
        this.stats.retries++;
        if (attempt % 10 === 0)
          this.log?.warn({ err: (err as Error).message }, 'publishing GPS points failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** Math.min(attempt, 6))));
      }
    }
  }
}

interface PointJob {
  name: 'gps-points';
  data: JobOf<'gps-points'>;
  opts: { jobId: string; removeOnComplete: { count: number } };
}

/**
 * Released points as `gps-points` jobs of up to GPS_POINTS_PER_JOB, in release order. The job id
 * (first point's device and fix time, and the count) makes a retried addBulk after a half-done
 * attempt add nothing twice: a point is published once, when PostgreSQL first stored it. Few
 * completed jobs are kept: each holds hundreds of points, and Redis is not their archive.
 */
export function pointJobs(payloads: readonly GpsPointPayload[]): PointJob[] {
  const jobs: PointJob[] = [];
  for (let i = 0; i < payloads.length; i += GPS_POINTS_PER_JOB) {
    const chunk = payloads.slice(i, i + GPS_POINTS_PER_JOB);
    const first = chunk[0] as GpsPointPayload;
    // BullMQ refuses ':' in custom ids; a device id is free text over HTTP.
    const jobId = `gps-${encodeURIComponent(first.deviceId)}-${String(Date.parse(first.fixTime))}-${String(chunk.length)}`;
    jobs.push({
      name: 'gps-points',
      data: { points: chunk },
      opts: { jobId, removeOnComplete: { count: 50 } },
    });
  }
  return jobs;
}

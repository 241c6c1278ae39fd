import { QueueEvents } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestRedis, type TestRedis } from '../testing/services.js';
import { TypedQueue, createRedis, typedWorker } from './bullmq.js';
import type { JobOf } from './catalog.js';

describe('BullMQ on a real Redis', () => {
  let r: TestRedis;
  beforeEach(() => {
    r = createTestRedis();
  });
  afterEach(async () => {
    await r.cleanup();
  });

  const point: JobOf<'gps-points'> = {
    points: [
      {
        deviceId: '013912345678',
        fixTime: '2026-11-27T08:00:00.000+08:00',
        lon: 114.05,
        lat: 22.54,
        source: 'http',
        statusBits: 0,
        alarmBits: 0,
      },
    ],
  };

  it('round-trips a typed job through a worker', async () => {
    const queue = new TypedQueue('gps-points', r.ctx);
    const received: JobOf<'gps-points'>[] = [];
    let delivered = (): void => undefined;
    const done = new Promise<void>((resolve) => (delivered = resolve));
    const w = typedWorker('gps-points', r.ctx, (payload) => {
      received.push(payload);
      delivered();
      return Promise.resolve('success');
    });
    await queue.add(point);
    await done;
    expect(received).toEqual([point]);
    const keys = await r.redis.keys(`${r.ctx.prefix}:gps-points:*`);
    expect(keys.length).toBeGreaterThan(0);
    await w.close();
    await queue.close();
  });

  it('refuses to enqueue an invalid payload', async () => {
    const queue = new TypedQueue('gps-points', r.ctx);
    await expect(queue.add({ points: point.points.map((p) => ({ ...p, lat: 99 })) })).rejects.toThrow(
      /MW_JOB|lat/,
    );
    await queue.close();
  });

  it('dead-letters a malformed message once, with its reason, without retrying', async () => {
    // A foreign producer bypasses validation: write straight through a raw BullMQ queue.
    const raw = new TypedQueue('gps-points', r.ctx);
    const events = new QueueEvents('gps-points', {
      connection: createRedis(r.ctx.url),
      prefix: r.ctx.prefix,
    });
    await events.waitUntilReady();
    let calls = 0;
    const w = typedWorker('gps-points', r.ctx, () => {
      calls++;
      return Promise.resolve('success');
    });
    const failed = new Promise<string>((resolve) =>
      events.once('failed', ({ failedReason }) => {
        resolve(failedReason);
      }),
    );
    const job = await raw.queue.add(
      'gps-points',
      { points: [{ deviceId: 'x', lat: 'north' }] },
      { attempts: 5 },
    );
    expect(await failed).toMatch(/MW_JOB_PAYLOAD_INVALID/);
    expect(calls).toBe(0);
    expect((await raw.queue.getJob(job.id ?? ''))?.attemptsMade).toBe(1);

    const dead = new TypedQueue('dead-letter', r.ctx);
    const [dl] = await dead.queue.getJobs(['waiting']);
    expect(dl?.data).toMatchObject({ queue: 'gps-points', jobId: job.id });
    expect((dl?.data as { reason: string }).reason).toContain('lat');
    await Promise.all([w.close(), raw.close(), dead.close(), events.close()]);
  });
});

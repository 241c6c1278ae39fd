import { Queue } from 'bullmq';
import { createRedis, type QueueContext } from '../queues/index.js';
import type { Metrics, Sample } from './metrics.js';

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * `muckwatch_queue_depth{queue,state}` for the queues this process consumes (so a queue is
 * reported once, by its consumer, not by every process that can see it). Read at scrape time.
 */
export function queueDepthMetrics(
  metrics: Metrics,
  ctx: QueueContext,
  queues: readonly string[],
): { close: () => Promise<void> } {
  const connection = createRedis(ctx.url);
  connection.on('error', () => undefined);
  const handles = queues.map((name) => new Queue(name, { connection, prefix: ctx.prefix }));
  metrics.gaugeOf(
    'muckwatch_queue_depth',
    'Jobs in a queue this process consumes, by state (waiting = backlog).',
    ['queue', 'state'],
    async () => {
      const samples: Sample[] = [];
      for (const q of handles) {
        const counts = await q.getJobCounts(...STATES);
        for (const state of STATES) samples.push([{ queue: q.name, state }, counts[state] ?? 0]);
      }
      return samples;
    },
  );
  return {
    close: async () => {
      await Promise.all(handles.map((q) => q.close()));
      connection.disconnect();
    },
  };
}

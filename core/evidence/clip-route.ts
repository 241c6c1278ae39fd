import type { Redis } from 'ioredis';
import type { Pool } from '../db/index.js';
import { TypedQueue, clipQueueFor, type QueueContext } from '../queues/index.js';

/**
 * Queue the evidence clip of an incident on the node that records its camera: the node that
 * holds the camera's lease now, else the node whose disk holds its latest segment. The range is
 * put on hold first, so ring-buffer retention cannot delete it before the clip is cut.
 * Idempotent per incident (job id), and delayed until the range has been recorded.
 */
export async function enqueueClip(
  deps: { pool: Pool; redis: Redis; queues: QueueContext; segmentSeconds: number },
  job: { incidentId: number; cameraId: number; fromMs: number; toMs: number },
  nowMs: number = Date.now(),
): Promise<string | null> {
  const { pool, redis, queues } = deps;
  await pool.query(
    `INSERT INTO recording_holds (camera_id, starts_at, ends_at, reason, incident_id)
     SELECT $1, to_timestamp($2 / 1000.0), to_timestamp($3 / 1000.0), 'evidence', $4
     WHERE NOT EXISTS (SELECT 1 FROM recording_holds WHERE incident_id = $4 AND camera_id = $1)`,
    [job.cameraId, job.fromMs, job.toMs, job.incidentId],
  );
  const lease = await redis.get(`${queues.prefix}:lease:camera:${String(job.cameraId)}`);
  let node = lease ? lease.slice(0, lease.lastIndexOf('|')) : null;
  if (!node) {
    const { rows } = await pool.query<{ node_id: string }>(
      'SELECT node_id FROM recording_segments WHERE camera_id = $1 ORDER BY ends_at DESC LIMIT 1',
      [job.cameraId],
    );
    node = rows[0]?.node_id ?? null;
  }
  if (!node) return null;
  const queue = new TypedQueue('clips', queues, clipQueueFor(node));
  try {
    // Segments close segmentSeconds after they start: wait for the last one, plus a margin.
    const delay = Math.max(0, job.toMs + (deps.segmentSeconds + 2) * 1000 - nowMs);
    await queue.add(
      {
        incidentId: job.incidentId,
        cameraId: job.cameraId,
        from: new Date(job.fromMs).toISOString(),
        to: new Date(job.toMs).toISOString(),
      },
      { jobId: `clip-${String(job.incidentId)}-${String(job.cameraId)}`, delay, attempts: 8 },
    );
  } finally {
    await queue.close();
  }
  return node;
}

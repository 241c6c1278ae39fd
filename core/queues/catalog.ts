import { z } from 'zod';
import { DETECTION_TYPES, GPS_SOURCES, INCIDENT_STATUSES, INCIDENT_TYPES, LOAD_STATES } from '../domain.js';

/**
 * Every BullMQ queue and the payload it carries, in one place. Producers and consumers both
 * validate against these schemas, so a malformed message is caught at the edge and
 * dead-lettered with its reason instead of being retried forever.
 */
const isoTime = z.iso.datetime({ offset: true });

export const detectionPayload = z.object({
  cameraId: z.number().int().positive(),
  frameTime: isoTime,
  frameSeq: z.number().int().nonnegative(),
  model: z.string().min(1),
  objects: z.array(
    z.object({
      cls: z.string().min(1),
      confidence: z.number().min(0).max(1),
      box: z.object({
        x: z.number(),
        y: z.number(),
        w: z.number().nonnegative(),
        h: z.number().nonnegative(),
      }),
      trackId: z.number().int().nonnegative().optional(),
    }),
  ),
});

export const gpsPointPayload = z.object({
  deviceId: z.string().min(1),
  vehicleId: z.number().int().positive().optional(),
  fixTime: isoTime,
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  speedKmh: z.number().min(0).optional(),
  headingDeg: z.number().min(0).max(360).optional(),
  statusBits: z.number().int().nonnegative().default(0),
  alarmBits: z.number().int().nonnegative().default(0),
  loadState: z.enum(LOAD_STATES).optional(),
  source: z.enum(GPS_SOURCES),
});
/** One position: an element of a `gps-points` job, and the live-map value (`gps:latest`). */
export type GpsPointPayload = z.infer<typeof gpsPointPayload>;

/** Most points one `gps-points` job carries (a job per point made the queue the intake's bottleneck). */
export const GPS_POINTS_PER_JOB = 500;

/**
 * A `gps-points` job: stored points, each vehicle's in fix-time order. Jobs are consumed one
 * at a time in queue order, so a vehicle's points reach the rules in the order they left intake.
 */
export const gpsPointsPayload = z.object({
  points: z.array(gpsPointPayload).min(1).max(GPS_POINTS_PER_JOB),
});

/** Box in source-image pixels: top-left corner, width, height. */
const imageBox = z.object({
  x: z.number(),
  y: z.number(),
  w: z.number().nonnegative(),
  h: z.number().nonnegative(),
});

export const cameraEventPayload = z.object({
  cameraId: z.number().int().positive(),
  type: z.enum(DETECTION_TYPES),
  startedAt: isoTime,
  endedAt: isoTime.optional(),
  trackIds: z.array(z.number().int().nonnegative()),
  confidence: z.number().min(0).max(1),
  // Added for the camera event rules; optional so earlier producers stay valid. One event is sent
  // as opened, then updated (tracks joined), then closed, all with the same key and startedAt.
  key: z.string().min(1).optional(),
  phase: z.enum(['opened', 'updated', 'closed']).optional(),
  bestFrame: z
    .object({
      at: isoTime,
      frameSeq: z.number().int().nonnegative(),
      trackId: z.number().int().nonnegative(),
      box: imageBox,
      // The picture the box is in: where in the view the event sits (optional for older producers).
      frame: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }).optional(),
    })
    .optional(),
  boxes: z
    .array(z.object({ at: isoTime, trackId: z.number().int().nonnegative(), box: imageBox }))
    .max(256)
    .optional(),
});

export const clipJobPayload = z.object({
  incidentId: z.number().int().positive(),
  cameraId: z.number().int().positive(),
  from: isoTime,
  to: isoTime,
});

export const notificationPayload = z.object({
  incidentId: z.number().int().positive(),
  type: z.enum(INCIDENT_TYPES),
  status: z.enum(INCIDENT_STATUSES),
});

export const deadLetterPayload = z.object({
  queue: z.string(),
  jobId: z.string().optional(),
  reason: z.string(),
  payload: z.unknown(),
  at: isoTime,
});

export const QUEUES = {
  detections: detectionPayload,
  'gps-points': gpsPointsPayload,
  'camera-events': cameraEventPayload,
  clips: clipJobPayload,
  notifications: notificationPayload,
  'dead-letter': deadLetterPayload,
} as const;

export type QueueName = keyof typeof QUEUES;
export type JobOf<N extends QueueName> = z.infer<(typeof QUEUES)[N]>;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

/**
 * Clip jobs go to the node that holds the camera's recordings: one queue per node.
 * BullMQ forbids ':' in queue names, so the node id is joined with '.'.
 */
export function clipQueueFor(nodeId: string): string {
  return `clips.${nodeId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** Validate a payload against its queue's schema; returns a readable reason on failure. */
export function parsePayload<N extends QueueName>(
  name: N,
  data: unknown,
): { ok: true; value: JobOf<N> } | { ok: false; reason: string } {
  const result = QUEUES[name].safeParse(data);
  if (result.success) return { ok: true, value: result.data as JobOf<N> };
  const reason = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  return { ok: false, reason };
}

import type { Redis } from 'ioredis';

/** Why a camera is not streaming, in words an operator can act on. */
export type CameraFailureKind =
  | 'auth_refused'
  | 'not_found'
  | 'host_unreachable'
  | 'connection_refused'
  | 'timeout'
  | 'codec_unsupported'
  | 'bad_url'
  | 'stream_ended'
  | 'unknown';

export type CameraState = 'starting' | 'streaming' | 'stalled' | 'backoff' | 'failed' | 'stopped';

/** What the console shows per camera, and what /metrics exports. */
export interface CameraHealth {
  readonly cameraId: number;
  readonly state: CameraState;
  readonly since: number;
  /** Source frames per second (recording side), measured over the last stats interval. */
  readonly fpsIn: number;
  /** Sampled frames per second delivered to the detector queue. */
  readonly fpsOut: number;
  readonly framesOut: number;
  readonly dropped: number;
  readonly reconnects: number;
  readonly sourceResolution: { readonly width: number; readonly height: number } | null;
  readonly lastError: {
    readonly kind: CameraFailureKind;
    readonly message: string;
    readonly at: number;
  } | null;
}

export interface CameraHealthReport extends CameraHealth {
  readonly node: string;
  readonly reportedAt: number;
}

const key = (prefix: string): string => `${prefix}:camera-health`;

/** Pipeline nodes publish the health of the cameras they hold on every tick. */
export async function publishCameraHealth(
  redis: Redis,
  prefix: string,
  node: string,
  health: readonly CameraHealth[],
  now: number = Date.now(),
): Promise<void> {
  if (health.length === 0) return;
  const fields = health.flatMap((h) => [String(h.cameraId), JSON.stringify({ ...h, node, reportedAt: now })]);
  await redis.hset(key(prefix), ...fields);
}

/** Latest report per camera; a report older than `staleMs` means its node stopped reporting. */
export async function readCameraHealth(
  redis: Redis,
  prefix: string,
  staleMs: number,
  now: number = Date.now(),
): Promise<Map<number, CameraHealthReport & { stale: boolean }>> {
  const all = await redis.hgetall(key(prefix));
  const out = new Map<number, CameraHealthReport & { stale: boolean }>();
  for (const [id, json] of Object.entries(all)) {
    const r = JSON.parse(json) as CameraHealthReport;
    out.set(Number(id), { ...r, stale: now - r.reportedAt > staleMs });
  }
  return out;
}

import type { Redis } from 'ioredis';

/**
 * Camera leases in Redis. A lease is `node|token` under a TTL; the token comes from a per-camera
 * counter that only grows (a fencing token), so work done under an old lease can be told apart.
 */
const ACQUIRE = `
local cur = redis.call('GET', KEYS[1])
if not cur then
  local token = redis.call('INCR', KEYS[2])
  redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
  return token
end
return nil`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

export interface Holder {
  readonly node: string;
  readonly token: number;
}

export class CameraLeases {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly nodeId: string,
    readonly ttlMs: number,
  ) {}

  private key(cameraId: number): string {
    return `${this.prefix}:lease:camera:${String(cameraId)}`;
  }

  /** The fencing token when this node now holds the camera; null when someone else does. */
  async acquire(cameraId: number): Promise<number | null> {
    const r = (await this.redis.eval(
      ACQUIRE,
      2,
      this.key(cameraId),
      `${this.key(cameraId)}:fence`,
      this.nodeId,
      this.ttlMs,
    )) as number | null;
    return r;
  }

  async renew(cameraId: number, token: number): Promise<boolean> {
    const r = await this.redis.eval(
      RENEW,
      1,
      this.key(cameraId),
      `${this.nodeId}|${String(token)}`,
      this.ttlMs,
    );
    return Number(r) === 1;
  }

  async release(cameraId: number, token: number): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(cameraId), `${this.nodeId}|${String(token)}`);
  }

  async holders(cameraIds: readonly number[]): Promise<Map<number, Holder>> {
    const out = new Map<number, Holder>();
    if (cameraIds.length === 0) return out;
    const values = await this.redis.mget(...cameraIds.map((id) => this.key(id)));
    values.forEach((v, i) => {
      const id = cameraIds[i];
      if (!v || id === undefined) return;
      const sep = v.lastIndexOf('|');
      out.set(id, { node: v.slice(0, sep), token: Number(v.slice(sep + 1)) });
    });
    return out;
  }
}

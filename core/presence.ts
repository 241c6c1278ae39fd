import type { Redis } from 'ioredis';

/** Each running process announces itself in Redis with a TTL, so the console can show who is alive. */
export interface Presence {
  readonly process: string;
  readonly node: string;
  readonly pid: number;
  readonly startedAt: string;
}

const key = (prefix: string, p: Pick<Presence, 'process' | 'node'>): string =>
  `${prefix}:presence:${p.process}:${p.node}`;

export function startPresence(
  redis: Redis,
  prefix: string,
  me: Presence,
  intervalMs = 5000,
): { stop: () => Promise<void> } {
  const ttlMs = intervalMs * 3;
  const beat = (): Promise<unknown> =>
    redis.set(key(prefix, me), JSON.stringify(me), 'PX', ttlMs).catch(() => undefined);
  void beat();
  const timer = setInterval(() => void beat(), intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await redis.del(key(prefix, me)).catch(() => undefined);
    },
  };
}

export async function listPresence(redis: Redis, prefix: string): Promise<Presence[]> {
  const found: Presence[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:presence:*`, 'COUNT', 200);
    cursor = next;
    if (keys.length > 0) {
      for (const v of await redis.mget(...keys)) if (v) found.push(JSON.parse(v) as Presence);
    }
  } while (cursor !== '0');
  return found.sort((a, b) => `${a.process}${a.node}`.localeCompare(`${b.process}${b.node}`));
}

import type { Redis } from 'ioredis';

/**
 * Whether each vehicle GPS terminal (JT/T 808) is connected, as the GPS gateway sees it:
 * online from authentication until its link closes. Kept in a hash (the current state, for a
 * page that opens now) and announced on a channel (each change, for pages already open).
 */
export interface TerminalPresence {
  readonly terminalId: string;
  readonly vehicleId: number | null;
  readonly online: boolean;
  /** When this state began (ms). */
  readonly since: number;
  /** The gateway node holding (or last holding) the link. */
  readonly node: string;
  /** The link this state belongs to: a terminal that reconnects before its old link times out
   *  must not be marked offline when that old link finally closes. */
  readonly link: string;
}

const key = (prefix: string): string => `${prefix}:terminal-presence`;
export const terminalPresenceChannel = (prefix: string): string => `${prefix}:terminal-presence:changes`;

/** Offline only replaces the state of the same link; online always replaces. Publishes what it stored. */
const SET_SCRIPT = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[3] == '0' and cur then
  local ok, c = pcall(cjson.decode, cur)
  if ok and c.link ~= ARGV[4] then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PUBLISH', ARGV[5], ARGV[2])
return 1`;

export async function setTerminalPresence(
  redis: Redis,
  prefix: string,
  p: TerminalPresence,
): Promise<boolean> {
  const stored = await redis.eval(
    SET_SCRIPT,
    1,
    key(prefix),
    p.terminalId,
    JSON.stringify(p),
    p.online ? '1' : '0',
    p.link,
    terminalPresenceChannel(prefix),
  );
  return stored === 1;
}

export async function readTerminalPresence(redis: Redis, prefix: string): Promise<TerminalPresence[]> {
  const all = await redis.hgetall(key(prefix));
  return Object.values(all).flatMap((json) => {
    try {
      return [JSON.parse(json) as TerminalPresence];
    } catch {
      return [];
    }
  });
}

/**
 * A gateway node starting up: links its previous run left "online" died with it. Marks them
 * offline (and announces it) so no terminal stays online forever after a crash.
 */
export async function releaseNodeTerminals(
  redis: Redis,
  prefix: string,
  node: string,
  now: number = Date.now(),
): Promise<number> {
  let n = 0;
  for (const p of await readTerminalPresence(redis, prefix)) {
    if (p.node !== node || !p.online) continue;
    if (await setTerminalPresence(redis, prefix, { ...p, online: false, since: now })) n++;
  }
  return n;
}

/** What the gateway calls as links authenticate and close; Redis trouble never reaches a link. */
export class TerminalPresencePublisher {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly node: string,
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  online(terminalId: string, vehicleId: number | null, link: string): void {
    this.set({ terminalId, vehicleId, online: true, since: this.now(), node: this.node, link });
  }

  offline(terminalId: string, vehicleId: number | null, link: string): void {
    this.set({ terminalId, vehicleId, online: false, since: this.now(), node: this.node, link });
  }

  private set(p: TerminalPresence): void {
    setTerminalPresence(this.redis, this.prefix, p).catch(this.onError);
  }
}

import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Role } from '../../core/index.js';

/** What a request knows about who is calling. */
export interface SessionUser {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** null = city level (every district). */
  readonly jurisdictionCode: string | null;
  readonly teamId: number | null;
}

export interface Session {
  readonly id: string;
  readonly csrf: string;
  readonly user: SessionUser;
}

/**
 * Server-side sessions in Redis: the cookie carries only a 256-bit random id (HttpOnly), so a
 * session can be ended at once (logout, user disabled) and nothing in the cookie is trusted.
 * Sliding expiry: every request renews the TTL.
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlS: number,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:console:session:${id}`;
  }
  private userKey(userId: number): string {
    return `${this.prefix}:console:user-sessions:${String(userId)}`;
  }

  async create(user: SessionUser): Promise<Session> {
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      csrf: randomBytes(24).toString('base64url'),
      user,
    };
    await this.redis
      .multi()
      .set(this.key(session.id), JSON.stringify(session), 'EX', this.ttlS)
      .sadd(this.userKey(user.id), session.id)
      .expire(this.userKey(user.id), this.ttlS)
      .exec();
    return session;
  }

  async get(id: string): Promise<Session | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
    const json = await this.redis.get(this.key(id));
    if (json === null) return null;
    await this.redis.expire(this.key(id), this.ttlS);
    return JSON.parse(json) as Session;
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  /** End every session of a user (disabled, password reset). */
  async destroyAllFor(userId: number): Promise<void> {
    const ids = await this.redis.smembers(this.userKey(userId));
    if (ids.length > 0) await this.redis.del(...ids.map((i) => this.key(i)));
    await this.redis.del(this.userKey(userId));
  }
}

/**
 * Login throttle: failures per (user name, address) in a 15-minute window. Counted before the
 * password is checked, so a burst of parallel guesses cannot slip past the limit.
 */
export class LoginLimiter {
  private static readonly WINDOW_S = 15 * 60;
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly maxFailures: number,
  ) {}

  private key(username: string, ip: string): string {
    return `${this.prefix}:console:login-fail:${username.toLowerCase()}|${ip}`;
  }

  async blocked(username: string, ip: string): Promise<boolean> {
    const n = Number((await this.redis.get(this.key(username, ip))) ?? 0);
    return n >= this.maxFailures;
  }

  async fail(username: string, ip: string): Promise<void> {
    const k = this.key(username, ip);
    await this.redis.multi().incr(k).expire(k, LoginLimiter.WINDOW_S, 'NX').exec();
  }

  async reset(username: string, ip: string): Promise<void> {
    await this.redis.del(this.key(username, ip));
  }
}

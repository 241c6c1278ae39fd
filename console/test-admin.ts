/** Setup shared by the console's integration tests: a seeded data folder, and the admin API, on the test's services. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Pool, QueueContext } from '../core/index.js';
import { buildApp, type ConsoleApp } from './app.js';
import { login, seed, type Login, type Seeded } from './test-seed.js';

/** What the tests' database and Redis prefix (core/testing) offer the console. */
export interface DatabaseLike {
  readonly pool: Pool;
  cleanup(): Promise<void>;
}
export interface RedisLike {
  readonly redis: Redis;
  readonly ctx: QueueContext;
  cleanup(): Promise<void>;
}

/** The test's database and Redis prefix, with a data folder, seeded with the console's test data. */
export interface SeededServices<D extends DatabaseLike, R extends RedisLike> {
  readonly db: D;
  readonly r: R;
  readonly dir: string;
  readonly s: Seeded;
  /** Drops the database, then the Redis keys, then the data folder. */
  cleanup(): Promise<void>;
}

export async function seededServices<D extends DatabaseLike, R extends RedisLike>(
  db: D,
  r: R,
  dirPrefix: string,
): Promise<SeededServices<D, R>> {
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  const s = await seed(db.pool, dir);
  return {
    db,
    r,
    dir,
    s,
    cleanup: async () => {
      await db.cleanup();
      await r.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The console API (no web pages) on seeded services, with the admin logged in. */
export interface AdminTestApp<D extends DatabaseLike, R extends RedisLike> extends SeededServices<D, R> {
  readonly app: ConsoleApp;
  readonly admin: Login;
  /** Closes the app, then cleans the services up. */
  close(): Promise<void>;
}

/** `prepare` adds test data after the seed and before the app is built. */
export async function startAdminApp<D extends DatabaseLike, R extends RedisLike>(
  db: D,
  r: R,
  dirPrefix: string,
  prepare?: (pool: Pool) => Promise<unknown>,
): Promise<AdminTestApp<D, R>> {
  const svc = await seededServices(db, r, dirPrefix);
  await prepare?.(db.pool);
  const app = buildApp({
    pool: db.pool,
    redis: r.redis,
    redisPrefix: r.ctx.prefix,
    dataDir: svc.dir,
    web: false,
  });
  const admin = await login(app, 'admin');
  return {
    ...svc,
    app,
    admin,
    close: async () => {
      await app.close();
      await svc.cleanup();
    },
  };
}

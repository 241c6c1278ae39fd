import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createPool, ident, migrate, type Pool } from '../db/index.js';
import { loadProcessConfig, type Config } from '../config/index.js';
import type { QueueContext } from '../queues/index.js';

/** Base configuration for integration tests: the same sources a process reads. */
export function testConfig(): Config {
  return loadProcessConfig([]);
}

export interface TestDatabase {
  readonly pool: Pool;
  readonly schema: string;
  readonly config: Config['database'];
  cleanup(): Promise<void>;
}

/** A fresh schema per test file (migrated unless told otherwise), dropped on cleanup. */
export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const base = testConfig().database;
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const config = { ...base, schema, poolSize: 4 };
  const pool = createPool(config);
  if (opts.migrate ?? true) await migrate(pool, schema);
  else await pool.query(`CREATE SCHEMA ${ident(schema)}`);
  return {
    pool,
    schema,
    config,
    cleanup: async () => {
      // Test files drop their schemas concurrently; two drops that both reach PostGIS's shared
      // types can deadlock, and PostgreSQL then cancels one of them: that one simply goes again.
      for (let attempt = 1; ; attempt++) {
        try {
          await pool.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== '40P01' || attempt >= 5) throw err;
          await new Promise((res) => setTimeout(res, 100 * attempt));
        }
      }
      await pool.end();
    },
  };
}

export interface TestRedis {
  readonly ctx: QueueContext;
  readonly redis: Redis;
  cleanup(): Promise<void>;
}

/** A unique key prefix per test (BullMQ's own testing habit); every key under it is deleted after. */
export function createTestRedis(): TestRedis {
  const url = testConfig().redis.url;
  const prefix = `test-${randomUUID()}`;
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  return {
    ctx: { url, prefix },
    redis,
    cleanup: async () => {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}

import { assertDatabaseReachable, createPool, ensurePostgis } from '../db/index.js';
import { isMuckError } from '../errors.js';
import { assertRedisReachable } from '../queues/index.js';
import { testConfig } from './services.js';

/** Integration tests need real PostgreSQL+PostGIS and Redis: fail early with the fix if absent. */
export default async function setup(): Promise<void> {
  const config = testConfig();
  const pool = createPool({ ...config.database, poolSize: 1 });
  try {
    await assertDatabaseReachable(pool, config.database.url);
    const client = await pool.connect();
    try {
      await ensurePostgis(client);
    } finally {
      client.release();
    }
    await assertRedisReachable(config.redis.url);
  } catch (err) {
    throw new Error(`Integration tests need the services: ${isMuckError(err) ? err.format() : String(err)}`, {
      cause: err,
    });
  } finally {
    await pool.end();
  }
}

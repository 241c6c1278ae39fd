/** A rules worker on the test's database and Redis prefix, for the rules' end-to-end tests. */
import {
  createLogger,
  createRedis,
  type Config,
  type Pool,
  type QueueContext,
  type Runtime,
} from '../core/index.js';
import { startRulesWorker } from './worker.js';

/** Starts the worker on `base` (the test config) with no home jurisdiction and no warm-up; returns how to stop it. */
export async function startTestRulesWorker(
  base: Config,
  db: { readonly pool: Pool; readonly config: Config['database'] },
  queues: QueueContext,
  logName: string,
): Promise<() => Promise<void>> {
  const config = {
    ...base,
    database: db.config,
    redis: { ...base.redis, prefix: queues.prefix },
    log: { level: 'silent' as const },
    rules: { ...base.rules, homeJurisdiction: '', warmupS: 0 },
  };
  const rt: Runtime = {
    config,
    log: createLogger(config, logName),
    pool: db.pool,
    redis: createRedis(config.redis.url),
    queues,
  };
  const w = await startRulesWorker(rt);
  return async () => {
    await w.stop();
    rt.redis.disconnect();
  };
}

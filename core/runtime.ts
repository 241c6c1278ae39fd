import { createPool, migrate, assertDatabaseReachable, type Pool } from './db/index.js';
import { isMuckError } from './errors.js';
import { loadProcessConfig, type Config } from './config/index.js';
import { createLogger, type Logger } from './log.js';
import type { Redis } from 'ioredis';
import { startPresence } from './presence.js';
import { Health, Metrics, startOpsServer } from './ops/index.js';
import { opsPortOf, type ProcessName } from './processes.js';
import { assertRedisReachable, createRedis, type QueueContext } from './queues/index.js';

/** What every process gets after start-up: validated config, a migrated database, queues. */
export interface Runtime {
  readonly config: Config;
  readonly log: Logger;
  readonly pool: Pool;
  /** A shared, non-blocking Redis connection (presence, pub/sub publishing, leases). */
  readonly redis: Redis;
  readonly queues: QueueContext;
}

export type Stop = () => Promise<void>;

/** Connect and migrate: the first steps of every process, with coded errors on failure. */
export async function openRuntime(config: Config, processName: string): Promise<Runtime> {
  const log = createLogger(config, processName);
  const pool = createPool(config.database);
  try {
    await assertDatabaseReachable(pool, config.database.url);
    if (config.database.migrateOnStart) {
      const result = await migrate(pool, config.database.schema);
      log.info(
        { schema: result.schema, applied: result.applied, version: result.current },
        'database migrated',
      );
    }
    await assertRedisReachable(config.redis.url);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const redis = createRedis(config.redis.url);
  redis.on('error', (err: Error) => {
    log.warn({ err: err.message }, 'redis connection error');
  });
  return { config, log, pool, redis, queues: { url: config.redis.url, prefix: config.redis.prefix } };
}

/** What a process reports about itself: Prometheus metrics and health checks. */
export interface Ops {
  readonly metrics: Metrics;
  readonly health: Health;
}

/** Every process: its database and Redis checks, plus Node.js process metrics. */
function standardOps(rt: Runtime, name: ProcessName): Ops {
  const metrics = new Metrics(name, rt.config.node.id);
  const health = new Health(name, rt.config.node.id);
  health.add('database', () => rt.pool.query('SELECT 1'));
  health.add('redis', () => rt.redis.ping());
  return { metrics, health };
}

/**
 * Run a process: parse config, open the runtime, start, and stop cleanly on SIGINT/SIGTERM
 * (handlers are installed first, so a signal during start-up is honoured too).
 * Start-up failures print the coded message (no stack trace) and exit with status 1.
 */
export function runProcess(name: ProcessName, start: (rt: Runtime, ops: Ops) => Promise<Stop>): void {
  let started: Promise<{ rt: Runtime; stop: Stop } | null> = Promise.resolve(null);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    void started
      .then(async (s) => {
        if (!s) return;
        s.rt.log.info({ signal }, 'stopping');
        await s.stop();
        await s.rt.pool.end();
      })
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        process.stderr.write(`${name}: unclean stop: ${String(err)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => {
    shutdown('SIGINT');
  });
  process.on('SIGTERM', () => {
    shutdown('SIGTERM');
  });

  started = (async () => {
    const config = loadProcessConfig();
    const rt = await openRuntime(config, name);
    const presence = startPresence(rt.redis, config.redis.prefix, {
      process: name,
      node: config.node.id,
      pid: process.pid,
      startedAt: new Date().toISOString(),
    });
    const ops = standardOps(rt, name);
    const server = await startOpsServer({ host: config.ops.host, port: opsPortOf(config, name), ...ops });
    const stopStage = await start(rt, ops);
    rt.log.info({ ops: `http://${config.ops.host}:${server.port}` }, 'ready');
    const stop: Stop = async () => {
      // Accepted work is finished by the stage's own stop; the ops endpoint answers until then.
      await stopStage();
      await server.close();
      await presence.stop();
      rt.redis.disconnect();
    };
    return { rt, stop };
  })().catch((err: unknown) => {
    process.stderr.write(
      `${name}: ${isMuckError(err) ? err.format() : String((err as Error).stack ?? err)}\n`,
    );
    process.exit(1);
  });
}

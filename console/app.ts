import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { isMuckError, listPresence, type Pool } from '../core/index.js';

export interface ConsoleDeps {
  readonly pool: Pool;
  readonly redis: Redis;
  readonly redisPrefix: string;
  readonly logger?: boolean;
}

/** Build the console app without listening: tests use app.inject(), bin/console.ts listens. */
export function buildApp(deps: ConsoleDeps): FastifyInstance {
  const app = Fastify({ logger: deps.logger ?? false });

  app.setErrorHandler((err, _req, reply) => {
    if (isMuckError(err)) {
      return reply.status(err.status).send({ code: err.code, message: err.message, details: err.details });
    }
    const e = err as { statusCode?: number; message?: string };
    const status = e.statusCode ?? 500;
    return reply.status(status).send({
      code: status < 500 ? 'MW_VALIDATION' : 'MW_INTERNAL',
      message: status < 500 ? (e.message ?? 'Bad request') : 'Internal error',
    });
  });

  app.get(
    '/api/health',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['status', 'database', 'redis', 'processes'],
            properties: {
              status: { type: 'string', enum: ['ok', 'degraded'] },
              database: {
                type: 'object',
                properties: { ok: { type: 'boolean' }, postgis: { type: 'string' } },
              },
              redis: { type: 'object', properties: { ok: { type: 'boolean' } } },
              processes: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    process: { type: 'string' },
                    node: { type: 'string' },
                    pid: { type: 'integer' },
                    startedAt: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async () => {
      const database = await deps.pool
        .query<{ v: string }>('SELECT postgis_lib_version() AS v')
        .then((r) => ({ ok: true, postgis: r.rows[0]?.v ?? '' }))
        .catch(() => ({ ok: false, postgis: '' }));
      const processes = await listPresence(deps.redis, deps.redisPrefix).catch(() => null);
      const redisOk = processes !== null;
      return {
        status: database.ok && redisOk ? 'ok' : 'degraded',
        database,
        redis: { ok: redisOk },
        processes: processes ?? [],
      };
    },
  );

  return app;
}

import { join } from 'node:path';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import {
  EvidenceStore,
  isMuckError,
  listPresence,
  loadOrCreateSecretKey,
  loadOrCreateSigningKey,
  type Pool,
} from '../core/index.js';
import { installGuard, type RouteEntry } from './auth/guard.js';
import { LoginLimiter, SessionStore } from './auth/sessions.js';
import type { RouteContext } from './context.js';
import { LiveHub } from './live.js';
import { LiveVideoHub } from './live-video/hub.js';
import { auditRoutes } from './routes/audit.js';
import { cameraAdminRoutes } from './routes/admin-cameras.js';
import { zoneAdminRoutes } from './routes/admin-zones.js';
import { fleetRoutes } from './routes/fleet.js';
import { teamRoutes } from './routes/teams.js';
import { authRoutes } from './routes/auth.js';
import { evidenceRoutes } from './routes/evidence.js';
import { incidentRoutes } from './routes/incidents.js';
import { kpiRoutes } from './routes/kpi.js';
import { liveVideoRoutes } from './routes/live-video.js';
import { photoRoutes } from './routes/photos.js';
import { streamRoutes } from './routes/stream.js';
import { terminalPresenceRoutes } from './routes/terminal-presence.js';
import { userRoutes } from './routes/users.js';
import { worldRoutes } from './routes/world.js';
import { webRoutes } from './web/serve.js';

export interface ConsoleDeps {
  readonly pool: Pool;
  readonly redis: Redis;
  readonly redisPrefix: string;
  readonly logger?: boolean;
  /** Root of recordings and evidence (evidence files under `<dataDir>/evidence`). */
  readonly dataDir?: string;
  /** Ed25519 PEM that signs exports; empty = `<dataDir>/keys/evidence-ed25519.pem`. */
  readonly signingKeyPath?: string;
  readonly sessionTtlS?: number;
  readonly loginMaxFailures?: number;
  readonly secureCookie?: boolean;
  readonly cameraStaleS?: number;
  /** Camera-credentials key (hex or base64 of 32 bytes); empty = `<dataDir>/keys/secrets.key`. */
  readonly secretsKey?: string;
  /** Seconds a connection test or snapshot waits for a camera. */
  readonly cameraTimeoutS?: number;
  /** ffmpeg executable for camera live views. */
  readonly ffmpeg?: string;
  /** Serve the web app (tests of the API alone skip bundling it). */
  readonly web?: boolean;
}

export interface ConsoleApp extends FastifyInstance {
  /** Every /api route with its access rule (the authorization matrix walks it). */
  readonly routeTable: readonly RouteEntry[];
}

/** Build the console app without listening: tests use app.inject(), bin/console.ts listens. */
export function buildApp(deps: ConsoleDeps): ConsoleApp {
  const app = Fastify({
    logger: deps.logger ?? false,
    trustProxy: false,
    // Unknown fields are refused (400), not silently dropped: a typo must not look like success.
    ajv: { customOptions: { removeAdditional: false } },
  });
  const dataDir = deps.dataDir ?? '.data';
  const sessionTtlS = deps.sessionTtlS ?? 43_200;
  const cameraStaleMs = (deps.cameraStaleS ?? 30) * 1000;
  const sessions = new SessionStore(deps.redis, deps.redisPrefix, sessionTtlS);
  const live = new LiveHub(deps.redis, deps.redisPrefix, cameraStaleMs);
  const video = new LiveVideoHub({ ffmpeg: deps.ffmpeg ?? 'ffmpeg' });
  let key: ReturnType<typeof loadOrCreateSigningKey> | null = null;
  let secretKey: Buffer | null = null;
  const ctx: RouteContext = {
    pool: deps.pool,
    redis: deps.redis,
    prefix: deps.redisPrefix,
    sessions,
    limiter: new LoginLimiter(deps.redis, deps.redisPrefix, deps.loginMaxFailures ?? 5),
    store: new EvidenceStore(deps.pool, join(dataDir, 'evidence')),
    signingKey: () => {
      key ??= loadOrCreateSigningKey(deps.signingKeyPath || join(dataDir, 'keys', 'evidence-ed25519.pem'));
      return key.privateKey;
    },
    exportDir: join(dataDir, 'exports-tmp'),
    secureCookie: deps.secureCookie ?? false,
    sessionTtlS,
    cameraStaleMs,
    live,
    secretKey: () => (secretKey ??= loadOrCreateSecretKey(deps.secretsKey ?? '', dataDir)),
    ffmpeg: deps.ffmpeg ?? 'ffmpeg',
    cameraTimeoutS: deps.cameraTimeoutS ?? 10,
    dataDir,
    video,
  };

  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (isMuckError(err)) {
      return reply.status(err.status).send({ code: err.code, message: err.message, details: err.details });
    }
    if (err.validation) {
      return reply.status(400).send({
        code: 'MW_VALIDATION',
        message: err.message,
        details: err.validation.map((v) =>
          `${v.instancePath || err.validationContext || ''} ${v.message ?? ''}`.trim(),
        ),
      });
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) app.log.error({ err }, 'request failed');
    return reply.status(status).send({
      code: status < 500 ? 'MW_VALIDATION' : 'MW_INTERNAL',
      message: status < 500 ? err.message : 'Internal error',
      details: [],
    });
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .status(404)
      .send({ code: 'MW_NOT_FOUND', message: `No route ${req.method} ${req.url}`, details: [] }),
  );

  const routeTable = installGuard(app, sessions);
  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'MuckWatch console API',
        version: '1.0.0',
        description:
          'Operators, enforcement teams, auditors and admins. Session cookie from POST /api/auth/login; ' +
          'every change needs the x-csrf-token header. Errors are {code, message, details}.',
      },
    },
  });
  void app.register((api, _opts, done) => {
    healthRoute(api, deps);
    authRoutes(api, ctx);
    incidentRoutes(api, ctx);
    evidenceRoutes(api, ctx);
    auditRoutes(api, ctx);
    worldRoutes(api, ctx);
    kpiRoutes(api, ctx);
    photoRoutes(api, ctx);
    userRoutes(api, ctx);
    cameraAdminRoutes(api, ctx);
    zoneAdminRoutes(api, ctx);
    fleetRoutes(api, ctx);
    teamRoutes(api, ctx);
    streamRoutes(api, ctx);
    liveVideoRoutes(api, ctx);
    terminalPresenceRoutes(api, ctx);
    if (deps.web ?? true) webRoutes(api);
    done();
  });
  app.addHook('onClose', async () => {
    await live.close();
    await video.close();
  });
  return Object.assign(app, { routeTable });
}

function healthRoute(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'PostGIS, Redis and the processes that announced themselves',
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
}

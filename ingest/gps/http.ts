import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { LOAD_STATES, MuckError, isMuckError, type ErrorCode, type Pool } from '../../core/index.js';
import type { DeviceScope, ScopeRefused } from './device-scope.js';
import type { Intake } from './intake.js';
import type { Platform, PlatformAuth } from './platforms.js';
import type { GpsPoint } from './point.js';

/**
 * HTTP intake for positions pushed by other platforms: POST /api/gps/positions with
 * `{ positions: [...] }` and the platform's API token (`Authorization: Bearer …`; without a
 * valid one: 401 MW_GPS_PLATFORM_AUTH before the body is read, nothing written). The JSON schema refuses malformed batches as a whole (400,
 * MW_VALIDATION, one line per problem); well-formed points then go through the same filters as
 * JT/T 808 points, and each refused one is listed with its reason. A point for a device outside
 * the platform's scope is refused on its own (MW_GPS_DEVICE_NOT_ALLOWED, quarantined as
 * `device_not_allowed`); the rest of the batch goes on. Re-sending a batch is harmless: points are
 * keyed on (device, fix time).
 */
const positionSchema = {
  type: 'object',
  required: ['deviceId', 'fixTime', 'lon', 'lat'],
  additionalProperties: false,
  properties: {
    // No control characters: PostgreSQL text cannot hold NUL, and one bad id must not sink a batch.
    deviceId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^\\u0000-\\u001f]+$' },
    fixTime: { type: 'string', format: 'date-time' },
    lon: { type: 'number', minimum: -180, maximum: 180 },
    lat: { type: 'number', minimum: -90, maximum: 90 },
    speedKmh: { type: 'number', minimum: 0, maximum: 1000 },
    headingDeg: { type: 'number', minimum: 0, maximum: 360 },
    altitudeM: { type: 'number', minimum: -1000, maximum: 10000 },
    valid: { type: 'boolean', default: true },
    backlog: { type: 'boolean', default: false },
    loadState: { type: 'string', enum: [...LOAD_STATES] },
    alarmBits: { type: 'integer', minimum: 0, maximum: 4294967295, default: 0 },
    statusBits: { type: 'integer', minimum: 0, maximum: 4294967295, default: 0 },
  },
} as const;

/** The code of a position refused because its device is outside the sending platform's scope. */
export const DEVICE_NOT_ALLOWED: ErrorCode = 'MW_GPS_DEVICE_NOT_ALLOWED';

interface PositionIn {
  deviceId: string;
  fixTime: string;
  lon: number;
  lat: number;
  speedKmh?: number;
  headingDeg?: number;
  altitudeM?: number;
  valid: boolean;
  backlog: boolean;
  loadState?: GpsPoint['loadState'];
  alarmBits: number;
  statusBits: number;
}

export interface HttpIntakeOptions {
  readonly intake: Intake;
  /** Who may push: the platform a token belongs to, or null. */
  readonly authenticate: PlatformAuth;
  /** Which devices each platform may report for, and where refused points are kept. */
  readonly scope: DeviceScope;
  /** Resolves a device id (terminal id or plate) to a vehicle, when it is one we know. */
  readonly vehicleOf?: (deviceId: string) => Promise<number | undefined>;
  readonly maxBatch: number;
  readonly now?: () => number;
}

export function buildHttpIntake(o: HttpIntakeOptions): FastifyInstance {
  // Fastify strips unknown properties by default; a typo in a field name must be an error instead.
  const app = Fastify({
    logger: false,
    bodyLimit: 32 * 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false } },
  });
  const now = o.now ?? Date.now;

  app.setErrorHandler((err, _req, reply) => {
    if (isMuckError(err)) {
      if (err.status === 401) void reply.header('www-authenticate', 'Bearer realm="gps-positions"');
      return reply.status(err.status).send({ code: err.code, message: err.message, details: err.details });
    }
    const e = err as {
      validation?: { instancePath: string; message?: string }[];
      statusCode?: number;
      message: string;
    };
    if (e.validation) {
      return reply.status(400).send({
        code: 'MW_VALIDATION',
        message: 'The position batch does not match its schema',
        details: e.validation.map((v) => `${v.instancePath || '(body)'}: ${v.message ?? 'invalid'}`),
      });
    }
    const status = e.statusCode && e.statusCode < 500 ? e.statusCode : 500;
    return reply.status(status).send({
      code: status < 500 ? 'MW_VALIDATION' : 'MW_GPS_WRITE_FAILED',
      message: e.message,
      details: [],
    });
  });

  // Per request, the platform that sent it (set by the auth hook, before validation).
  const platforms = new WeakMap<FastifyRequest, Platform>();
  app.post<{ Body: { positions: PositionIn[] } }>(
    '/api/gps/positions',
    {
      onRequest: async (req) => {
        const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
        const platform = m ? await o.authenticate(m[1] as string) : null;
        if (!platform) {
          throw new MuckError(
            'MW_GPS_PLATFORM_AUTH',
            m
              ? 'The API token is not valid (unknown, re-issued, or its platform is disabled)'
              : 'Send the platform API token as "Authorization: Bearer <token>" (an administrator makes one with `tsx ingest/gps/platforms-cli.ts add NAME`)',
          );
        }
        platforms.set(req, platform);
      },
      schema: {
        body: {
          type: 'object',
          required: ['positions'],
          additionalProperties: false,
          properties: {
            positions: { type: 'array', minItems: 1, maxItems: o.maxBatch, items: positionSchema },
          },
        },
      },
    },
    async (req) => {
      const platform = platforms.get(req) as Platform;
      const received = now();
      const vehicles = new Map<string, number | undefined>();
      for (const p of req.body.positions) {
        if (!vehicles.has(p.deviceId)) vehicles.set(p.deviceId, await o.vehicleOf?.(p.deviceId));
      }
      const points: GpsPoint[] = req.body.positions.map((p) => {
        const vehicleId = vehicles.get(p.deviceId);
        return {
          deviceId: p.deviceId,
          ...(vehicleId !== undefined ? { vehicleId } : {}),
          fixTimeMs: Date.parse(p.fixTime),
          receivedMs: received,
          lon: p.lon,
          lat: p.lat,
          ...(p.speedKmh !== undefined ? { speedKmh: p.speedKmh } : {}),
          ...(p.headingDeg !== undefined ? { headingDeg: p.headingDeg % 360 } : {}),
          ...(p.altitudeM !== undefined ? { altitudeM: p.altitudeM } : {}),
          alarmBits: p.alarmBits,
          statusBits: p.statusBits,
          ...(p.loadState ? { loadState: p.loadState } : {}),
          source: 'http',
          valid: p.valid,
          backlog: p.backlog,
          extra: { platform: platform.name },
        };
      });
      const deviceIds = points.map((p) => p.deviceId);
      const refusals = await orUnavailable(() => o.scope.refusals(platform, deviceIds));
      const allowed: GpsPoint[] = [];
      const refused: (ScopeRefused & { index: number })[] = [];
      const index = new Map<GpsPoint, number>();
      points.forEach((p, i) => {
        const why = refusals.get(p.deviceId);
        if (why === undefined) {
          allowed.push(p);
          index.set(p, i);
        } else refused.push({ point: p, detail: why, index: i });
      });
      // Kept before the rest is written: when they cannot be, the whole batch is refused (503) and re-sent.
      await orUnavailable(() => o.scope.quarantine(refused));
      const r = allowed.length > 0 ? await o.intake.submit(allowed) : { accepted: 0, rejected: [] };
      const rejected: RejectedOut[] = [
        ...r.rejected.map((x) => ({ index: index.get(x.point) ?? -1, reason: x.reason })),
        ...refused.map((x) => ({
          index: x.index,
          reason: 'device_not_allowed',
          code: DEVICE_NOT_ALLOWED,
          message: x.detail,
        })),
      ];
      return { accepted: r.accepted, rejected: rejected.sort((a, b) => a.index - b.index) };
    },
  );
  return app;
}

interface RejectedOut {
  readonly index: number;
  readonly reason: string;
  readonly code?: string;
  readonly message?: string;
}

/** The scope lives in PostgreSQL: when it cannot be read or the refusals kept, the platform sends again later. */
async function orUnavailable<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw new MuckError(
      'MW_GPS_UNAVAILABLE',
      `The platform's device scope cannot be checked or its refusals kept now (${(err as Error).message}); send the batch again later`,
      [],
      { cause: err },
    );
  }
}

/** Device id → vehicle: a terminal's bound vehicle, or a vehicle whose plate is the id. Cached briefly. */
export function vehicleLookup(pool: Pool, ttlMs = 60_000): (deviceId: string) => Promise<number | undefined> {
  const cache = new Map<string, { at: number; id: number | undefined }>();
  return async (deviceId) => {
    const hit = cache.get(deviceId);
    if (hit && Date.now() - hit.at < ttlMs) return hit.id;
    const { rows } = await pool.query<{ id: string | null }>(
      `SELECT COALESCE((SELECT vehicle_id FROM terminals WHERE ltrim(terminal_id, '0') = ltrim($1, '0') LIMIT 1),
                       (SELECT id FROM vehicles WHERE plate = $1)) AS id`,
      [deviceId],
    );
    const id = rows[0]?.id ? Number(rows[0].id) : undefined;
    if (cache.size > 100_000) cache.clear();
    cache.set(deviceId, { at: Date.now(), id });
    return id;
  };
}

import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  decryptCredentials,
  encryptCredentials,
  ffprobeBeside,
  grabJpeg,
  MuckError,
  probeStream,
  urlWithCredentials,
} from '../../core/index.js';
import {
  cameraProblems,
  IMAGE_ZONE_KINDS,
  splitCredentials,
  type CameraInput,
} from '../admin/camera-input.js';
import {
  cameraCredentialsBlob,
  cameraSettings,
  latestSegmentPath,
  writeCamera,
  type CameraSettingsView,
} from '../admin/camera-repo.js';
import { auditChange } from '../admin/changes.js';
import { sessionOf } from '../auth/guard.js';
import type { RouteContext } from '../context.js';
import { errorResponses, idParams } from '../schemas.js';

const ADMIN = ['admin'] as const;
const point = { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } as const;
const lonLatPoint = {
  type: 'array',
  minItems: 2,
  maxItems: 2,
  items: [
    { type: 'number', minimum: -180, maximum: 180 },
    { type: 'number', minimum: -90, maximum: 90 },
  ],
} as const;
const nullableHeading = { type: ['number', 'null'], minimum: 0, exclusiveMaximum: 360 } as const;
const fields = {
  code: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' },
  name: { type: 'string', minLength: 1, maxLength: 100 },
  rtspMainUrl: { type: 'string', pattern: '^rtsps?://', maxLength: 1000 },
  rtspSubUrl: { type: ['string', 'null'], pattern: '^rtsps?://', maxLength: 1000 },
  transport: { type: 'string', enum: ['tcp', 'udp'] },
  credentials: {
    type: ['object', 'null'],
    additionalProperties: false,
    required: ['user', 'pass'],
    properties: { user: { type: 'string', maxLength: 200 }, pass: { type: 'string', maxLength: 200 } },
  },
  position: { ...lonLatPoint, type: ['array', 'null'] },
  headingDeg: nullableHeading,
  hfovDeg: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 180 },
  roadHeadingDeg: nullableHeading,
  footprint: { type: ['array', 'null'], items: lonLatPoint, minItems: 3, maxItems: 200 },
  detectFps: { type: 'number', exclusiveMinimum: 0, maximum: 30 },
  detectWidth: { type: 'integer', minimum: 32, maximum: 4096 },
  detectHeight: { type: 'integer', minimum: 32, maximum: 4096 },
  model: { type: ['string', 'null'], maxLength: 500 },
  loiteringS: { type: 'integer', minimum: 1, maximum: 86400 },
  jurisdictionCode: { type: ['string', 'null'], maxLength: 64 },
  enabled: { type: 'boolean' },
  imageZones: {
    type: 'array',
    maxItems: 50,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'kind', 'polygon'],
      properties: {
        id: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' },
        kind: { type: 'string', enum: [...IMAGE_ZONE_KINDS] },
        polygon: {
          type: 'array',
          minItems: 3,
          maxItems: 100,
          items: { ...point, items: { type: 'number', minimum: 0, maximum: 10000 } },
        },
      },
    },
  },
} as const;
const settingsSchema = {
  type: 'object',
  properties: {
    ...Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'credentials')),
    id: { type: 'integer' },
    hasCredentials: { type: 'boolean' },
    updatedAt: { type: 'string' },
  },
} as const;
const probeSchema = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    stream: { type: 'string' },
    codec: { type: 'string' },
    width: { type: 'integer' },
    height: { type: 'integer' },
    fps: { type: ['number', 'null'] },
    elapsedMs: { type: 'integer' },
    failure: {
      type: 'object',
      properties: { kind: { type: 'string' }, transient: { type: 'boolean' }, message: { type: 'string' } },
    },
  },
} as const;
const streamQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { stream: { type: 'string', enum: ['main', 'sub'], default: 'main' } },
} as const;

/** What the audit log records of a camera: its settings, never its credentials. */
const audited = (v: CameraSettingsView): Record<string, unknown> => {
  return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'updatedAt' && k !== 'id'));
};

/** Cameras for admins: create, edit (zones, map position, footprint), test the stream, snapshot. */
export function cameraAdminRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const settingsOr404 = async (id: number): Promise<CameraSettingsView> => {
    const v = await cameraSettings(ctx.pool, id);
    if (!v) throw new MuckError('MW_NOT_FOUND', `Camera ${String(id)} does not exist.`);
    return v;
  };

  /** Check, lift credentials out of URLs, encrypt them; then write. */
  const save = async (id: number | null, body: CameraInput): Promise<number> => {
    const problems = cameraProblems(body);
    if (problems.length > 0)
      throw new MuckError('MW_VALIDATION', 'The camera settings have problems.', problems);
    const input: CameraInput = { ...body };
    for (const k of ['rtspMainUrl', 'rtspSubUrl'] as const) {
      const url = input[k];
      if (typeof url !== 'string') continue;
      const split = splitCredentials(url);
      input[k] = split.url;
      if (split.credentials && input.credentials === undefined) input.credentials = split.credentials;
    }
    const { credentials, ...rest } = input;
    const enc =
      credentials === undefined
        ? undefined
        : credentials === null
          ? null
          : encryptCredentials(ctx.secretKey(), credentials);
    return writeCamera(ctx.pool, id, { ...rest, ...(enc === undefined ? {} : { credentials: enc }) }).catch(
      (err: unknown) => {
        if ((err as { code?: string }).code === '23505')
          throw new MuckError('MW_VALIDATION', `Camera code ${String(body.code)} is taken; pick another.`);
        throw err;
      },
    );
  };

  /** The stream URL with its credentials (decrypted only here, only for ffmpeg). */
  const source = async (
    id: number,
    stream: 'main' | 'sub',
  ): Promise<{ url: string; transport: 'tcp' | 'udp' }> => {
    const v = await settingsOr404(id);
    const url = stream === 'sub' ? v.rtspSubUrl : v.rtspMainUrl;
    if (!url) throw new MuckError('MW_VALIDATION', `Camera ${v.code} has no ${stream} stream URL.`);
    const blob = await cameraCredentialsBlob(ctx.pool, id);
    const creds = blob ? decryptCredentials(ctx.secretKey(), blob) : null;
    return { url: urlWithCredentials(url, creds), transport: v.transport };
  };

  app.get<{ Params: { id: number } }>(
    '/api/cameras/:id/settings',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'A camera’s full settings (credentials are never returned, only whether they are set)',
        params: idParams,
        response: { 200: settingsSchema, ...errorResponses },
      },
    },
    async (req) => settingsOr404(req.params.id),
  );

  app.post<{ Body: CameraInput }>(
    '/api/cameras',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Add a camera (credentials in the URL are moved to the encrypted store)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['code', 'name', 'rtspMainUrl'],
          properties: fields,
        },
        response: { 200: { type: 'object', properties: { id: { type: 'integer' } } }, ...errorResponses },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const id = await save(null, req.body);
      const after = await settingsOr404(id);
      await auditChange(ctx.pool, user, 'camera.create', { type: 'camera', id }, null, audited(after));
      return { id };
    },
  );

  app.patch<{ Params: { id: number }; Body: CameraInput }>(
    '/api/cameras/:id',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary:
          'Change a camera (any subset of fields; enabled:false disables it). Pipeline nodes apply it on their next tick, without a restart.',
        params: idParams,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: fields },
        response: { 200: settingsSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const before = await settingsOr404(req.params.id);
      await save(req.params.id, req.body);
      const after = await settingsOr404(req.params.id);
      const extra =
        req.body.credentials === undefined
          ? {}
          : { credentials: req.body.credentials ? 'replaced' : 'cleared' };
      await auditChange(
        ctx.pool,
        user,
        'camera.update',
        { type: 'camera', id: req.params.id },
        audited(before),
        audited(after),
        extra,
      );
      return after;
    },
  );

  app.post<{ Params: { id: number }; Body: { stream?: 'main' | 'sub' } | null }>(
    '/api/cameras/:id/test',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary:
          'Test the connection: what a pipeline node would see (codec, resolution, fps) or the precise failure',
        params: idParams,
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { stream: { type: 'string', enum: ['main', 'sub'] } },
        },
        response: { 200: probeSchema, ...errorResponses },
      },
    },
    async (req) => {
      const stream = req.body?.stream ?? 'main';
      const src = await source(req.params.id, stream);
      const r = await probeStream(ffprobeBeside(ctx.ffmpeg), { ...src, timeoutS: ctx.cameraTimeoutS });
      return { ...r, stream };
    },
  );

  app.get<{ Params: { id: number }; Querystring: { stream: 'main' | 'sub' } }>(
    '/api/cameras/:id/snapshot',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary:
          'One live frame as JPEG (to draw image zones on), or the newest recorded segment’s when the stream is down',
        params: idParams,
        querystring: streamQuery,
        response: { 200: { type: 'string', format: 'binary' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const src = await source(req.params.id, req.query.stream);
      const live = await grabJpeg(ctx.ffmpeg, { ...src, timeoutS: ctx.cameraTimeoutS });
      let jpeg = live.ok ? live.jpeg : null;
      let from = 'live';
      if (!live.ok) {
        const seg = await latestSegmentPath(ctx.pool, req.params.id);
        const file = seg && (isAbsolute(seg) ? seg : join(ctx.dataDir, seg));
        if (file && existsSync(file)) {
          const rec = await grabJpeg(ctx.ffmpeg, {
            url: file,
            transport: 'tcp',
            timeoutS: ctx.cameraTimeoutS,
          });
          if (rec.ok) [jpeg, from] = [rec.jpeg, 'recording'];
        }
        if (!jpeg)
          throw new MuckError(
            'MW_CAMERA_UNREACHABLE',
            `No picture from the camera: ${live.failure.message}.`,
            [live.failure.kind],
          );
      }
      return reply
        .header('content-type', 'image/jpeg')
        .header('cache-control', 'no-store')
        .header('x-snapshot-source', from)
        .send(jpeg);
    },
  );
}

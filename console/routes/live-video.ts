import type { FastifyInstance } from 'fastify';
import {
  appendAudit,
  decryptCredentials,
  MuckError,
  redactCredentials,
  urlWithCredentials,
} from '../../core/index.js';
import { sessionOf } from '../auth/guard.js';
import type { RouteContext } from '../context.js';
import { LIVE_FORMATS, type LiveFormat } from '../live-video/ffmpeg-args.js';
import type { Viewer } from '../live-video/feed.js';
import { seesJurisdiction } from '../scope.js';
import { errorResponses, errorSchema, idParams } from '../schemas.js';

/** A viewer this far behind (bytes the socket has not taken) is dropped; its player reconnects. */
const MAX_VIEWER_BACKLOG = 8 * 1024 * 1024;

interface LiveCameraRow {
  id: string;
  code: string;
  jurisdiction_code: string | null;
  url: string;
  transport: 'tcp' | 'udp';
  credentials_enc: Buffer | null;
}

export function liveVideoRoutes(app: FastifyInstance, ctx: RouteContext): void {
  // Open live views never end by themselves: end them before the server waits for its connections.
  const open = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of open) end();
    done();
  });
  app.get<{ Params: { id: number }; Querystring: { format: LiveFormat } }>(
    '/api/cameras/:id/live',
    {
      config: { access: ['operator', 'admin'] },
      schema: {
        tags: ['map'],
        summary:
          'Live view of a camera in your district, streamed: fragmented MP4 (H.264 as the camera sends it, ' +
          'for Media Source Extensions) or MPEG-TS with MPEG-1 video (for JSMpeg). One camera connection ' +
          'is shared by all viewers.',
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { format: { type: 'string', enum: [...LIVE_FORMATS], default: 'fmp4' } },
        },
        response: {
          200: { type: 'string', format: 'binary', description: 'video/mp4 or video/mp2t, until closed' },
          ...errorResponses,
          502: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const { user } = sessionOf(req);
      const { rows } = await ctx.pool.query<LiveCameraRow>(
        `SELECT id, code, jurisdiction_code, COALESCE(NULLIF(rtsp_sub_url, ''), rtsp_main_url) AS url,
                transport, credentials_enc
           FROM cameras WHERE id = $1`,
        [req.params.id],
      );
      const cam = rows[0];
      if (!cam) throw new MuckError('MW_NOT_FOUND', `There is no camera ${String(req.params.id)}.`);
      if (!seesJurisdiction(user, cam.jurisdiction_code))
        throw new MuckError(
          'MW_FORBIDDEN',
          `Camera ${cam.code} belongs to district ${cam.jurisdiction_code ?? '(city)'}; you may watch only cameras of ${user.jurisdictionCode ?? 'the city'}.`,
        );

      const res = reply.raw;
      const viewer: Viewer = {
        open: (contentType) => {
          reply.hijack();
          res.writeHead(200, {
            'content-type': contentType,
            'cache-control': 'no-store',
            'x-accel-buffering': 'no',
          });
        },
        send: (chunk) => {
          if (res.destroyed) return false;
          res.write(chunk);
          return res.writableLength <= MAX_VIEWER_BACKLOG;
        },
        close: () => {
          res.end();
        },
      };
      const watching = ctx.video.watch(
        Number(cam.id),
        {
          url: urlWithCredentials(
            cam.url,
            cam.credentials_enc ? decryptCredentials(ctx.secretKey(), cam.credentials_enc) : null,
          ),
          transport: cam.transport,
        },
        req.query.format,
        viewer,
      );
      const end = (): void => {
        open.delete(end);
        watching.leave();
        if (!res.writableEnded) res.end();
      };
      open.add(end);
      res.on('close', end);
      try {
        await watching.started;
      } catch (err) {
        watching.leave();
        open.delete(end);
        if (res.destroyed) {
          reply.hijack(); // the browser left while the camera was still connecting
          return;
        }
        throw new MuckError(
          'MW_CAMERA_UNREACHABLE',
          `Camera ${cam.code} sends no picture: ${redactCredentials((err as Error).message)}. Its health on the camera wall says why.`,
        );
      }
      await appendAudit(ctx.pool, {
        actorId: user.id,
        actor: user.username,
        action: 'camera.live_viewed',
        targetType: 'camera',
        targetId: cam.id,
        details: { format: req.query.format },
      });
    },
  );
}

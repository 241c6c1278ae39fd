import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { appendAudit, exportIncident, MuckError, type EvidenceKind } from '../../core/index.js';
import { sessionOf, type Access } from '../auth/guard.js';
import type { SessionUser } from '../auth/sessions.js';
import type { RouteContext } from '../context.js';
import { loadVisibleIncident } from '../incidents-repo.js';
import { parseRange } from '../range.js';
import { errorResponses, errorSchema, idParams, emptyBody } from '../schemas.js';

const AUDITORS: Access = ['auditor', 'admin'];
const MIME: Record<EvidenceKind, string> = {
  clip: 'video/mp4',
  snapshot: 'image/jpeg',
  track: 'application/json',
  export: 'application/zip',
};

/** An evidence row the user may see (through its incident's scope). */
async function visibleEvidence(ctx: RouteContext, user: SessionUser, id: number) {
  const row = await ctx.store.row(id);
  await loadVisibleIncident(ctx.pool, user, row.incidentId);
  return row;
}

async function auditEvidence(
  ctx: RouteContext,
  user: SessionUser,
  action: string,
  id: number,
  details: Record<string, unknown>,
): Promise<void> {
  await appendAudit(ctx.pool, {
    actorId: user.id,
    actor: user.username,
    action,
    targetType: 'evidence',
    targetId: String(id),
    details,
  });
}

export function evidenceRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Params: { id: number } }>(
    '/api/evidence/:id/content',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['evidence'],
        summary: 'The evidence file (clip, snapshot, box track, export) with HTTP Range support',
        params: idParams,
        response: {
          200: { type: 'string', format: 'binary' },
          206: { type: 'string', format: 'binary' },
          ...errorResponses,
          416: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const { user } = sessionOf(req);
      const ev = await visibleEvidence(ctx, user, req.params.id);
      if (ev.status !== 'ready' || !ev.sha256)
        throw new MuckError(
          'MW_NOT_FOUND',
          `Evidence ${String(ev.id)} is ${ev.status}; there is no file to send.`,
        );
      const path = ctx.store.pathOf(ev.sha256, ev.kind);
      const size = await stat(path).then(
        (s) => s.size,
        () => {
          throw new MuckError(
            'MW_NOT_FOUND',
            `The file of evidence ${String(ev.id)} is missing from the store.`,
          );
        },
      );
      const range = parseRange(req.headers.range, size);
      // A player fetches many ranges of one clip: audit the view once, at its first byte.
      if (!range || range.start === 0)
        await auditEvidence(ctx, user, ev.kind === 'export' ? 'evidence.download' : 'evidence.view', ev.id, {
          incidentId: ev.incidentId,
          kind: ev.kind,
        });
      void reply
        .header('accept-ranges', 'bytes')
        .header('content-type', MIME[ev.kind])
        .header('etag', `"${ev.sha256}"`)
        .header('cache-control', 'private, max-age=3600');
      if (ev.kind === 'export')
        void reply.header(
          'content-disposition',
          `attachment; filename="incident-${String(ev.incidentId)}-evidence.zip"`,
        );
      if (!range) return reply.header('content-length', size).send(createReadStream(path));
      return reply
        .status(206)
        .header('content-range', `bytes ${String(range.start)}-${String(range.end)}/${String(size)}`)
        .header('content-length', range.end - range.start + 1)
        .send(createReadStream(path, { start: range.start, end: range.end }));
    },
  );

  app.post<{ Params: { id: number } }>(
    '/api/evidence/:id/verify',
    {
      config: { access: AUDITORS },
      schema: {
        tags: ['evidence'],
        summary: "Recompute the file's SHA-256 and compare it with the recorded hash",
        body: emptyBody,
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['id', 'ok', 'sha256', 'actual'],
            properties: {
              id: { type: 'integer' },
              ok: { type: 'boolean' },
              sha256: { type: ['string', 'null'] },
              actual: { type: ['string', 'null'] },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const ev = await visibleEvidence(ctx, user, req.params.id);
      const v = await ctx.store.verify(ev.id);
      await auditEvidence(ctx, user, 'evidence.verify', ev.id, { ok: v.ok, actual: v.actual });
      return { id: ev.id, ...v };
    },
  );

  app.put<{ Params: { id: number }; Body: { hold: boolean } }>(
    '/api/evidence/:id/hold',
    {
      config: { access: AUDITORS },
      schema: {
        tags: ['evidence'],
        summary: 'Set or release legal hold (held evidence is never deleted by retention)',
        params: idParams,
        body: {
          type: 'object',
          required: ['hold'],
          additionalProperties: false,
          properties: { hold: { type: 'boolean' } },
        },
        response: {
          200: { type: 'object', properties: { id: { type: 'integer' }, legalHold: { type: 'boolean' } } },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const ev = await visibleEvidence(ctx, user, req.params.id);
      await ctx.store.setLegalHold(ev.id, req.body.hold, { id: user.id, name: user.username });
      return { id: ev.id, legalHold: req.body.hold };
    },
  );

  app.post<{ Params: { id: number } }>(
    '/api/incidents/:id/export',
    {
      config: { access: AUDITORS },
      schema: {
        tags: ['evidence'],
        summary: 'Build the signed evidence package (ZIP); download it from /api/evidence/{id}/content',
        body: emptyBody,
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['evidenceId', 'sha256', 'files'],
            properties: {
              evidenceId: { type: 'integer' },
              sha256: { type: 'string' },
              files: { type: 'array', items: { type: 'string' } },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const inc = await loadVisibleIncident(ctx.pool, user, req.params.id);
      const out = await exportIncident(
        { pool: ctx.pool, store: ctx.store, signingKey: ctx.signingKey(), outDir: ctx.exportDir },
        inc.id,
        { id: user.id, name: user.username },
      );
      const { rows } = await ctx.pool.query<{ id: string }>(
        "SELECT max(id) AS id FROM evidence WHERE incident_id = $1 AND kind = 'export' AND sha256 = $2",
        [inc.id, out.sha256],
      );
      // exportIncident appends the evidence.export audit row itself.
      return { evidenceId: Number(rows[0]?.id), sha256: out.sha256, files: out.files };
    },
  );
}

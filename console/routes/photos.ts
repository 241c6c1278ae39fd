import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { appendAudit, MuckError } from '../../core/index.js';
import { sessionOf } from '../auth/guard.js';
import type { RouteContext } from '../context.js';
import { loadVisibleIncident } from '../incidents-repo.js';
import { errorResponses, idParams } from '../schemas.js';

/** Photos an officer takes on site (the browser re-encodes them to JPEG first). */
const MAX_BYTES = 5 * 1024 * 1024;

export function photoRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Params: { id: number }; Body: { jpegBase64: string } }>(
    '/api/incidents/:id/photos',
    {
      config: { access: ['enforcement', 'admin'] },
      bodyLimit: Math.ceil((MAX_BYTES * 4) / 3) + 1024,
      schema: {
        tags: ['lifecycle'],
        summary: 'Add a handling photo (JPEG, base64) to a case; stored as evidence and audited',
        params: idParams,
        body: {
          type: 'object',
          required: ['jpegBase64'],
          additionalProperties: false,
          properties: {
            jpegBase64: { type: 'string', minLength: 8, maxLength: Math.ceil((MAX_BYTES * 4) / 3) },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { evidenceId: { type: 'integer' }, sha256: { type: 'string' } },
          },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const inc = await loadVisibleIncident(ctx.pool, user, req.params.id);
      const bytes = Buffer.from(req.body.jpegBase64, 'base64');
      // The JPEG start-of-image marker: anything else is refused rather than stored as evidence.
      if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff)
        throw new MuckError('MW_VALIDATION', 'A handling photo must be a JPEG image.');
      const dir = await mkdtemp(join(tmpdir(), 'mw-photo-'));
      try {
        const tmp = join(dir, 'photo.jpg');
        await writeFile(tmp, bytes);
        const stored = await ctx.store.put(tmp, 'snapshot');
        const id = await ctx.store.record({ incidentId: inc.id, kind: 'snapshot' }, stored);
        await ctx.pool.query('UPDATE evidence SET captured_by = $2 WHERE id = $1', [id, user.id]);
        await appendAudit(ctx.pool, {
          actorId: user.id,
          actor: user.username,
          action: 'evidence.photo_added',
          targetType: 'incident',
          targetId: String(inc.id),
          details: { evidenceId: id, sha256: stored.sha256, size: stored.size },
        });
        return { evidenceId: id, sha256: stored.sha256 };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { appendAudit, auditRowFromDb, readAudit, verifyChain, type AuditDbRow } from '../../core/index.js';
import { sessionOf } from '../auth/guard.js';
import type { RouteContext } from '../context.js';
import { errorResponses, pageMeta, pageQuery, emptyBody } from '../schemas.js';

const auditRow = {
  type: 'object',
  required: ['id', 'at', 'actor', 'action', 'targetType', 'targetId', 'hash', 'prevHash'],
  properties: {
    id: { type: 'integer' },
    at: { type: 'string' },
    actorId: { type: ['integer', 'null'] },
    actor: { type: 'string' },
    action: { type: 'string' },
    targetType: { type: 'string' },
    targetId: { type: ['string', 'null'] },
    details: {},
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
} as const;

interface AuditQuery {
  targetType?: string;
  targetId?: string;
  action?: string;
  page: number;
  pageSize: number;
}

export function auditRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: AuditQuery }>(
    '/api/audit',
    {
      config: { access: ['auditor', 'admin'] },
      schema: {
        tags: ['audit'],
        summary: 'The audit log (full-process enforcement record), newest first, paged',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            targetType: { type: 'string', maxLength: 64 },
            targetId: { type: 'string', maxLength: 64 },
            action: { type: 'string', maxLength: 64 },
            ...pageQuery,
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['items', 'page', 'pageSize', 'total'],
            properties: { items: { type: 'array', items: auditRow }, ...pageMeta },
          },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const q = req.query;
      const args: unknown[] = [];
      const where: string[] = [];
      for (const [col, v] of [
        ['target_type', q.targetType],
        ['target_id', q.targetId],
        ['action', q.action],
      ] as const) {
        if (v !== undefined) where.push(`${col} = $${String(args.push(v))}`);
      }
      const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = await ctx.pool.query<{ n: string }>(`SELECT count(*) AS n FROM audit_log ${w}`, args);
      const { rows } = await ctx.pool.query<AuditDbRow>(
        `SELECT * FROM audit_log ${w} ORDER BY id DESC LIMIT $${String(args.length + 1)} OFFSET $${String(args.length + 2)}`,
        [...args, q.pageSize, (q.page - 1) * q.pageSize],
      );
      return {
        items: rows.map(auditRowFromDb),
        page: q.page,
        pageSize: q.pageSize,
        total: Number(total.rows[0]?.n ?? 0),
      };
    },
  );

  app.post(
    '/api/audit/verify',
    {
      config: { access: ['auditor', 'admin'] },
      schema: {
        tags: ['audit'],
        summary: 'Walk the whole hash chain and name every row where it breaks',
        body: emptyBody,
        response: {
          200: {
            type: 'object',
            required: ['ok', 'rows', 'problems'],
            properties: {
              ok: { type: 'boolean' },
              rows: { type: 'integer' },
              lastHash: { type: ['string', 'null'] },
              problems: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    kind: { type: 'string' },
                    id: { type: 'integer' },
                    message: { type: 'string' },
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const rows = await readAudit(ctx.pool);
      const problems = verifyChain(rows);
      await appendAudit(ctx.pool, {
        actorId: user.id,
        actor: user.username,
        action: 'audit.verify',
        targetType: 'audit_log',
        targetId: null,
        details: { rows: rows.length, problems: problems.length },
      });
      return { ok: problems.length === 0, rows: rows.length, lastHash: rows.at(-1)?.hash ?? null, problems };
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { MuckError } from '../../core/index.js';
import type { SessionUser } from '../auth/sessions.js';
import { auditChanges } from '../admin/changes.js';
import { csvCell } from '../admin/csv.js';
import {
  planFleetCsv,
  planFleetRows,
  type ExistingRow,
  type FleetPlan,
  type InputRow,
} from '../admin/fleet-plan.js';
import { applyFleet, loadFleet, loadFleetRefs } from '../admin/fleet-repo.js';
import { FLEET_FIELDS, FLEET_KINDS, keyOf, type FleetKind } from '../admin/fleet-spec.js';
import { sessionOf } from '../auth/guard.js';
import type { RouteContext } from '../context.js';
import { errorResponses, idParams, importCounts } from '../schemas.js';

const ADMIN = ['admin'] as const;
const READERS = ['operator', 'auditor', 'admin'] as const;
const SINGULAR: Record<FleetKind, string> = {
  companies: 'company',
  vehicles: 'vehicle',
  terminals: 'terminal',
};

const rowSchema = (kind: FleetKind) => ({
  type: 'object',
  properties: {
    id: { type: 'integer' },
    ...Object.fromEntries(FLEET_FIELDS[kind].map((f) => [f.key, { type: ['string', 'null'] }])),
  },
});
const bodySchema = (kind: FleetKind, create: boolean) => ({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  ...(create ? { required: [keyOf(kind)] } : {}),
  properties: Object.fromEntries(
    FLEET_FIELDS[kind].map((f) => [
      f.key,
      f.boolean
        ? { anyOf: [{ type: 'boolean' }, { type: 'string', maxLength: 20 }, { type: 'null' }] }
        : { type: ['string', 'null'], maxLength: 1000 },
    ]),
  ),
});
const reportSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string' },
    dryRun: { type: 'boolean' },
    applied: { type: 'boolean' },
    headerErrors: { type: 'array', items: { type: 'string' } },
    counts: importCounts,
    rows: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          line: { type: 'integer' },
          key: { type: ['string', 'null'] },
          action: { type: ['string', 'null'] },
          changes: { type: 'object', additionalProperties: true },
          errors: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
} as const;

const asText = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);

/** Fleet registry: companies, vehicles, JT/T 808 terminals; one row by API or many by CSV (dry run first). */
export function fleetRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const write = async (
    user: SessionUser,
    kind: FleetKind,
    plan: FleetPlan,
    via: string,
  ): Promise<number[]> => {
    const ids = await applyFleet(ctx.pool, kind, plan.writes);
    const byKey = new Map(plan.reports.map((r) => [r.key, r]));
    await auditChanges(
      ctx.pool,
      user,
      plan.writes.map((w, i) => ({
        action: `${SINGULAR[kind]}.${w.id === null ? 'create' : 'update'}`,
        target: { type: SINGULAR[kind], id: ids[i] ?? 0 },
        before: w.before,
        after: Object.fromEntries(
          Object.entries(byKey.get(w.key)?.changes ?? {}).map(([k, c]) => [k, c.after]),
        ),
        extra: { via },
      })),
    );
    return ids;
  };

  for (const kind of FLEET_KINDS) {
    app.get(
      `/api/fleet/${kind}`,
      {
        config: { access: READERS },
        schema: {
          tags: ['fleet'],
          summary: `Every ${SINGULAR[kind]} in the registry (references by name)`,
          response: { 200: { type: 'array', items: rowSchema(kind) }, ...errorResponses },
        },
      },
      async () => [...(await loadFleet(ctx.pool, kind)).values()].map((r) => ({ id: r.id, ...r.record })),
    );

    app.post<{ Body: Record<string, unknown> }>(
      `/api/fleet/${kind}`,
      {
        config: { access: ADMIN },
        schema: {
          tags: ['fleet'],
          summary: `Add a ${SINGULAR[kind]}`,
          body: bodySchema(kind, true),
          response: { 200: { type: 'object', properties: { id: { type: 'integer' } } }, ...errorResponses },
        },
      },
      async (req) => {
        const { user } = sessionOf(req);
        const existing = await loadFleet(ctx.pool, kind);
        const key = asText(req.body[keyOf(kind)]).trim();
        if (existing.has(key))
          throw new MuckError(
            'MW_VALIDATION',
            `A ${SINGULAR[kind]} ${key} already exists; change it instead.`,
          );
        const row: InputRow = {
          line: 1,
          cells: Object.fromEntries(Object.entries(req.body).map(([k, v]) => [k, asText(v)])),
        };
        const plan = planFleetRows(kind, [row], existing, await loadFleetRefs(ctx.pool));
        if (plan.errors.length > 0)
          throw new MuckError(
            'MW_VALIDATION',
            `The ${SINGULAR[kind]} is invalid.`,
            plan.errors.map((e) => e.replace(/^line 1 /, '')),
          );
        const [id] = await write(user, kind, plan, 'api');
        return { id };
      },
    );

    app.patch<{ Params: { id: number }; Body: Record<string, unknown> }>(
      `/api/fleet/${kind}/:id`,
      {
        config: { access: ADMIN },
        schema: {
          tags: ['fleet'],
          summary: `Change a ${SINGULAR[kind]} (fields not sent stay as they are; null clears)`,
          params: idParams,
          body: bodySchema(kind, false),
          response: { 200: rowSchema(kind), ...errorResponses },
        },
      },
      async (req) => {
        const { user } = sessionOf(req);
        const existing = await loadFleet(ctx.pool, kind);
        const current = [...existing.values()].find((r) => r.id === req.params.id);
        if (!current)
          throw new MuckError('MW_NOT_FOUND', `${SINGULAR[kind]} ${String(req.params.id)} does not exist.`);
        const oldKey = current.record[keyOf(kind)] ?? '';
        const newKey = keyOf(kind) in req.body ? asText(req.body[keyOf(kind)]).trim() : oldKey;
        if (newKey !== oldKey && existing.has(newKey))
          throw new MuckError('MW_VALIDATION', `A ${SINGULAR[kind]} ${newKey} already exists.`);
        // Matched by id: a renamed key (a new plate) is still this row.
        const scoped = new Map<string, ExistingRow>([[newKey, current]]);
        const cells = Object.fromEntries(Object.entries(req.body).map(([k, v]) => [k, asText(v)]));
        const plan = planFleetRows(
          kind,
          [{ line: 1, cells: { ...cells, [keyOf(kind)]: newKey } }],
          scoped,
          await loadFleetRefs(ctx.pool),
        );
        if (plan.errors.length > 0)
          throw new MuckError(
            'MW_VALIDATION',
            `The ${SINGULAR[kind]} is invalid.`,
            plan.errors.map((e) => e.replace(/^line 1 /, '')),
          );
        await write(user, kind, plan, 'api');
        const after = (await loadFleet(ctx.pool, kind)).get(newKey);
        return { id: req.params.id, ...after?.record };
      },
    );
  }

  app.get<{ Querystring: { kind: FleetKind } }>(
    '/api/fleet/export',
    {
      config: { access: READERS },
      schema: {
        tags: ['fleet'],
        summary: 'The registry of one kind as CSV (the format POST /api/fleet/import reads)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['kind'],
          properties: { kind: { type: 'string', enum: [...FLEET_KINDS] } },
        },
        response: { 200: { type: 'string' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const fields = FLEET_FIELDS[req.query.kind];
      const rows = [...(await loadFleet(ctx.pool, req.query.kind)).values()];
      const csv = [
        fields.map((f) => f.key).join(','),
        ...rows.map((r) => fields.map((f) => csvCell(r.record[f.key] ?? null)).join(',')),
      ].join('\n');
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${req.query.kind}.csv"`)
        .send(`${csv}\n`);
    },
  );

  app.post<{ Body: { kind: FleetKind; csv: string; dryRun: boolean } }>(
    '/api/fleet/import',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['fleet'],
        summary:
          'Bulk import from CSV (header row of field names; rows matched by plate / company name / terminal number). dryRun (default) reports per row what would change and every error, writing nothing; a real import with any error writes nothing (400).',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'csv'],
          properties: {
            kind: { type: 'string', enum: [...FLEET_KINDS] },
            csv: { type: 'string', maxLength: 20_000_000 },
            dryRun: { type: 'boolean', default: true },
          },
        },
        response: { 200: reportSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const { kind, csv, dryRun } = req.body;
      const plan = planFleetCsv(kind, csv, await loadFleet(ctx.pool, kind), await loadFleetRefs(ctx.pool));
      const count = (a: string): number => plan.reports.filter((r) => r.action === a).length;
      const report = {
        kind,
        dryRun,
        applied: false,
        headerErrors: plan.headerErrors,
        counts: {
          create: count('create'),
          update: count('update'),
          unchanged: count('unchanged'),
          error: plan.reports.filter((r) => r.errors.length > 0).length,
        },
        rows: plan.reports,
      };
      if (dryRun) return report;
      if (plan.errors.length > 0)
        throw new MuckError(
          'MW_IMPORT_INVALID',
          `${String(plan.errors.length)} error(s) in the CSV; nothing was imported.`,
          plan.errors,
        );
      await write(user, kind, plan, 'csv');
      return { ...report, applied: true };
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { MuckError } from '../../core/index.js';
import { saveZones, type ZoneInput } from '../../rules/index.js';
import { auditChange, auditChanges } from '../admin/changes.js';
import { zonesToKml, type KmlFeature } from '../admin/kml.js';
import { checkOneZone, planZoneImport } from '../admin/zone-plan.js';
import {
  deactivateZone,
  loadStoredZones,
  storedZoneById,
  writeZone,
  zoneFeature,
} from '../admin/zone-repo.js';
import { sessionOf } from '../auth/guard.js';
import type { RouteContext } from '../context.js';
import { errorResponses, idParams, importCounts } from '../schemas.js';

const ADMIN = ['admin'] as const;
const feature = {
  type: 'object',
  required: ['type', 'geometry', 'properties'],
  properties: {
    type: { type: 'string', enum: ['Feature'] },
    geometry: { type: ['object', 'null'], additionalProperties: true },
    properties: { type: 'object', additionalProperties: true },
  },
  additionalProperties: true,
} as const;
const okId = { 200: { type: 'object', properties: { id: { type: 'integer' } } }, ...errorResponses } as const;
const collection = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    features: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;

async function zoneOr404(
  ctx: RouteContext,
  id: number,
): Promise<NonNullable<Awaited<ReturnType<typeof storedZoneById>>>> {
  const z = await storedZoneById(ctx.pool, id);
  if (!z) throw new MuckError('MW_NOT_FOUND', `Zone ${String(id)} does not exist.`);
  return z;
}

async function codeFree(ctx: RouteContext, code: string, exceptId: number | null): Promise<void> {
  const { rows } = await ctx.pool.query<{ id: string }>('SELECT id FROM zones WHERE code = $1', [code]);
  const other = rows[0];
  if (other && Number(other.id) !== exceptId)
    throw new MuckError(
      'MW_ZONE_INVALID',
      `Zone code ${code} is already used by zone ${other.id}; pick another code.`,
    );
}

/** Geo zones for admins: draw, edit, deactivate, import and export GeoJSON. Every change audited. */
export function zoneAdminRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    '/api/zones/export',
    {
      config: { access: ['operator', 'auditor', 'admin'] },
      schema: {
        tags: ['admin'],
        summary:
          'Active zones as GeoJSON (feature id = zone id) that POST /api/zones/import reads back unchanged',
        response: { 200: collection, ...errorResponses },
      },
    },
    async (_req, reply) => {
      const zones = await loadStoredZones(ctx.pool, 'active');
      void reply.header('content-disposition', 'attachment; filename="zones.geojson"');
      return { type: 'FeatureCollection', features: zones.map((z) => zoneFeature(z, false)) };
    },
  );

  app.get(
    '/api/zones/export.kml',
    {
      config: { access: ['operator', 'auditor', 'admin'] },
      schema: {
        tags: ['admin'],
        summary: 'Active zones as KML 2.2 (code, kind, schedule… as ExtendedData)',
        response: { 200: { type: 'string' }, ...errorResponses },
      },
    },
    async (_req, reply) => {
      const zones = await loadStoredZones(ctx.pool, 'active');
      const features = zones.map((z) => zoneFeature(z, false) as unknown as KmlFeature);
      return reply
        .header('content-type', 'application/vnd.google-earth.kml+xml; charset=utf-8')
        .header('content-disposition', 'attachment; filename="zones.kml"')
        .send(zonesToKml(features));
    },
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/api/zones',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Create a zone from one GeoJSON feature',
        body: feature,
        response: okId,
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const zone = checkOneZone(req.body);
      await codeFree(ctx, zone.code, null);
      const id = await writeZone(ctx.pool, null, zone);
      const after = await zoneOr404(ctx, id);
      await auditChange(ctx.pool, user, 'zone.create', { type: 'zone', id }, null, zoneFeature(after));
      return { id };
    },
  );

  app.put<{ Params: { id: number }; Body: Record<string, unknown> }>(
    '/api/zones/:id',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Replace a zone (geometry, kind, name, schedule…) with one GeoJSON feature',
        params: idParams,
        body: feature,
        response: okId,
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const before = await zoneOr404(ctx, req.params.id);
      const zone = checkOneZone(req.body);
      await codeFree(ctx, zone.code, req.params.id);
      await writeZone(ctx.pool, req.params.id, zone);
      const after = await zoneOr404(ctx, req.params.id);
      await auditChange(
        ctx.pool,
        user,
        'zone.update',
        { type: 'zone', id: req.params.id },
        zoneFeature(before),
        zoneFeature(after),
      );
      return { id: req.params.id };
    },
  );

  app.delete<{ Params: { id: number } }>(
    '/api/zones/:id',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Deactivate a zone (kept for history; import or edit it to bring it back)',
        params: idParams,
        response: okId,
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const before = await zoneOr404(ctx, req.params.id);
      await deactivateZone(ctx.pool, req.params.id);
      await auditChange(
        ctx.pool,
        user,
        'zone.deactivate',
        { type: 'zone', id: req.params.id },
        { active: before.active },
        { active: false },
      );
      return { id: req.params.id };
    },
  );

  app.post<{ Body: { geojson: unknown; dryRun: boolean } }>(
    '/api/zones/import',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary:
          'Import a GeoJSON FeatureCollection (zones matched by code). dryRun reports per feature what would change and every error, writing nothing; a real import with any error writes nothing (400, each error naming its feature).',
        body: {
          type: 'object',
          required: ['geojson'],
          additionalProperties: false,
          properties: {
            geojson: { type: 'object', additionalProperties: true },
            dryRun: { type: 'boolean', default: true },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              dryRun: { type: 'boolean' },
              applied: { type: 'boolean' },
              counts: importCounts,
              features: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    index: { type: 'integer' },
                    code: { type: ['string', 'null'] },
                    action: { type: ['string', 'null'] },
                    errors: { type: 'array', items: { type: 'string' } },
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
      const stored = await loadStoredZones(ctx.pool);
      const byCode = new Map(stored.map((s) => [s.zone.code, s]));
      const plan = planZoneImport(req.body.geojson, byCode);
      const count = (a: string | null): number => plan.reports.filter((r) => r.action === a).length;
      const counts = {
        create: count('create'),
        update: count('update'),
        unchanged: count('unchanged'),
        error: plan.reports.filter((r) => r.errors.length > 0).length,
      };
      const report = { dryRun: req.body.dryRun, applied: false, counts, features: plan.reports };
      if (req.body.dryRun) return report;
      if (plan.errors.length > 0)
        throw new MuckError(
          'MW_ZONE_INVALID',
          `${String(counts.error)} feature(s) have errors; nothing was imported.`,
          plan.errors,
        );
      await saveZones(ctx.pool, plan.writes);
      const after = new Map((await loadStoredZones(ctx.pool)).map((s) => [s.zone.code, s]));
      await auditChanges(
        ctx.pool,
        user,
        plan.writes.flatMap((z: ZoneInput) => {
          const old = byCode.get(z.code);
          const now = after.get(z.code);
          if (!now) return [];
          return [
            {
              action: old ? 'zone.update' : 'zone.create',
              target: { type: 'zone', id: now.id },
              before: old ? zoneFeature(old) : null,
              after: zoneFeature(now),
              extra: { via: 'import' },
            },
          ];
        }),
      );
      return { ...report, applied: true };
    },
  );
}

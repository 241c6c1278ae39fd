import type { FastifyInstance } from 'fastify';
import { readCameraHealth } from '../../core/index.js';
import { sessionOf } from '../auth/guard.js';
import type { RouteContext } from '../context.js';
import { errorResponses, nullableString } from '../schemas.js';

/**
 * The GPS gateway's latest-position hashes (see the gateway's publisher): field = device id,
 * value = the gps-points payload. Read directly because the console may not import ingest/.
 */
const latestKey = (prefix: string): string => `${prefix}:gps:latest`;

const cameraItem = {
  type: 'object',
  required: ['id', 'code', 'name', 'enabled', 'position', 'health'],
  properties: {
    id: { type: 'integer' },
    code: { type: 'string' },
    name: { type: 'string' },
    enabled: { type: 'boolean' },
    jurisdictionCode: nullableString,
    position: { type: ['array', 'null'], items: { type: 'number' } },
    headingDeg: { type: ['number', 'null'] },
    footprint: { type: ['object', 'null'], additionalProperties: true },
    health: {
      type: ['object', 'null'],
      properties: {
        state: { type: 'string' },
        stale: { type: 'boolean' },
        node: { type: 'string' },
        fpsIn: { type: 'number' },
        fpsOut: { type: 'number' },
        dropped: { type: 'integer' },
        reconnects: { type: 'integer' },
        reportedAt: { type: 'string' },
        lastError: { type: ['object', 'null'], additionalProperties: true },
      },
    },
  },
} as const;

const featureCollection = {
  type: 'object',
  required: ['type', 'features'],
  properties: {
    type: { type: 'string', enum: ['FeatureCollection'] },
    features: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;

export function worldRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    '/api/cameras',
    {
      config: { access: ['operator', 'auditor', 'admin'] },
      schema: {
        tags: ['map'],
        summary: 'Cameras in your scope with their latest health from the pipeline nodes',
        response: { 200: { type: 'array', items: cameraItem }, ...errorResponses },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const { rows } = await ctx.pool.query<{
        id: string;
        code: string;
        name: string;
        enabled: boolean;
        jurisdiction_code: string | null;
        lon: number | null;
        lat: number | null;
        heading_deg: number | null;
        footprint: object | null;
      }>(
        `SELECT id, code, name, enabled, jurisdiction_code, ST_X(position) AS lon, ST_Y(position) AS lat,
                heading_deg, ST_AsGeoJSON(footprint)::json AS footprint
           FROM cameras WHERE ($1::text IS NULL OR jurisdiction_code = $1) ORDER BY code`,
        [user.jurisdictionCode],
      );
      const health = await readCameraHealth(ctx.redis, ctx.prefix, ctx.cameraStaleMs);
      return rows.map((c) => {
        const h = health.get(Number(c.id));
        return {
          id: Number(c.id),
          code: c.code,
          name: c.name,
          enabled: c.enabled,
          jurisdictionCode: c.jurisdiction_code,
          position: c.lon === null || c.lat === null ? null : [c.lon, c.lat],
          headingDeg: c.heading_deg,
          footprint: c.footprint,
          health: h
            ? {
                state: h.state,
                stale: h.stale,
                node: h.node,
                fpsIn: h.fpsIn,
                fpsOut: h.fpsOut,
                dropped: h.dropped,
                reconnects: h.reconnects,
                reportedAt: new Date(h.reportedAt).toISOString(),
                lastError: h.lastError,
              }
            : null,
        };
      });
    },
  );

  app.get(
    '/api/vehicles/positions',
    {
      config: { access: ['operator', 'auditor', 'admin'] },
      schema: {
        tags: ['map'],
        summary: 'Latest position of every truck (from the GPS gateway), as GeoJSON points',
        response: { 200: featureCollection, ...errorResponses },
      },
    },
    async () => {
      const all = await ctx.redis.hgetall(latestKey(ctx.prefix));
      const { rows } = await ctx.pool.query<{ id: string; plate: string }>('SELECT id, plate FROM vehicles');
      const plates = new Map(rows.map((r) => [Number(r.id), r.plate]));
      const features = [];
      for (const [deviceId, json] of Object.entries(all)) {
        let p: {
          vehicleId?: number;
          fixTime: string;
          lon: number;
          lat: number;
          speedKmh?: number;
          headingDeg?: number;
          loadState?: string;
        };
        try {
          p = JSON.parse(json) as typeof p;
        } catch {
          continue;
        }
        features.push({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
          properties: {
            deviceId,
            vehicleId: p.vehicleId ?? null,
            plate: p.vehicleId === undefined ? null : (plates.get(p.vehicleId) ?? null),
            fixTime: p.fixTime,
            speedKmh: p.speedKmh ?? null,
            headingDeg: p.headingDeg ?? null,
            loadState: p.loadState ?? null,
          },
        });
      }
      return { type: 'FeatureCollection', features };
    },
  );

  app.get(
    '/api/zones',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['map'],
        summary: 'Active zones (jurisdictions, sites, disposal sites, routes, no-vending) as GeoJSON',
        response: { 200: featureCollection, ...errorResponses },
      },
    },
    async () => {
      const { rows } = await ctx.pool.query<{ f: object }>(
        `SELECT json_build_object('type', 'Feature', 'id', id, 'geometry', ST_AsGeoJSON(geom)::json,
                  'properties', json_build_object('code', code, 'name', name, 'kind', kind,
                    'parentCode', parent_code, 'widthM', width_m)) AS f
           FROM zones WHERE active ORDER BY kind = 'jurisdiction' DESC, id`,
      );
      return { type: 'FeatureCollection', features: rows.map((r) => r.f) };
    },
  );

  app.get(
    '/api/teams',
    {
      config: { access: ['operator', 'admin'] },
      schema: {
        tags: ['lifecycle'],
        summary: 'Enforcement teams you may dispatch to',
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'integer' },
                name: { type: 'string' },
                jurisdictionCode: nullableString,
                districts: { type: 'array', items: { type: 'string' } },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      // A district user may dispatch to the teams based in, or covering, their district.
      const { rows } = await ctx.pool.query<{
        id: string;
        name: string;
        jurisdiction_code: string | null;
        districts: string[];
      }>(
        `SELECT id, name, jurisdiction_code, districts FROM teams
          WHERE ($1::text IS NULL OR jurisdiction_code = $1 OR $1 = ANY(districts)) ORDER BY name`,
        [user.jurisdictionCode],
      );
      return rows.map((t) => ({
        id: Number(t.id),
        name: t.name,
        jurisdictionCode: t.jurisdiction_code,
        districts: t.districts,
      }));
    },
  );
}

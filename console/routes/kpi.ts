import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../auth/guard.js';
import type { RouteContext } from '../context.js';
import { incidentScope } from '../scope.js';
import { errorResponses } from '../schemas.js';

/**
 * KPIs the bureau reports on: closure rate, on-time closure rate (no lifecycle step finished
 * after the deadline the previous step set), rework rate; by type, by district and by day
 * (Asia/Shanghai days); and the transport-company ranking by violations (rank-1 linked truck).
 */
const rateRow = {
  type: 'object',
  required: ['key', 'total', 'closed', 'closedOnTime', 'handled', 'rework'],
  properties: {
    key: { type: ['string', 'null'] },
    total: { type: 'integer' },
    closed: { type: 'integer' },
    closedOnTime: { type: 'integer' },
    handled: { type: 'integer' },
    rework: { type: 'integer' },
  },
} as const;

interface KpiQuery {
  from?: string;
  to?: string;
}

interface RateRow {
  key: string | null;
  total: string;
  closed: string;
  closed_on_time: string;
  handled: string;
  rework: string;
}

export function kpiRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: KpiQuery }>(
    '/api/kpi',
    {
      config: { access: ['operator', 'auditor', 'admin'] },
      schema: {
        tags: ['kpi'],
        summary: 'Closure, on-time closure and rework by type, district and day; company ranking',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['from', 'to', 'overall', 'byType', 'byDistrict', 'byDay', 'companies'],
            properties: {
              from: { type: 'string' },
              to: { type: 'string' },
              overall: rateRow,
              byType: { type: 'array', items: rateRow },
              byDistrict: { type: 'array', items: rateRow },
              byDay: { type: 'array', items: rateRow },
              companies: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    company: { type: 'string' },
                    violations: { type: 'integer' },
                    vehicles: { type: 'integer' },
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
      const to = req.query.to ? new Date(req.query.to) : new Date();
      const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - 30 * 86_400_000);
      const args: unknown[] = [from, to];
      const where = ['i.started_at >= $1', 'i.started_at < $2', ...incidentScope(user, args)];
      const scoped = `
        scoped AS (SELECT i.* FROM incidents i WHERE ${where.join(' AND ')}),
        late AS (
          SELECT incident_id, bool_or(at > prev_due) AS late FROM (
            SELECT incident_id, at, lag(due_at) OVER (PARTITION BY incident_id ORDER BY at, id) AS prev_due
              FROM incident_transitions WHERE incident_id IN (SELECT id FROM scoped)) x
          GROUP BY incident_id)`;
      const rates = async (key: string): Promise<RateRow[]> =>
        (
          await ctx.pool.query<RateRow>(
            `WITH ${scoped}
             SELECT ${key} AS key, count(*) AS total,
                    count(*) FILTER (WHERE s.status = 'closed') AS closed,
                    count(*) FILTER (WHERE s.status = 'closed' AND NOT coalesce(l.late, false)) AS closed_on_time,
                    count(*) FILTER (WHERE s.handled_at IS NOT NULL) AS handled,
                    count(*) FILTER (WHERE s.rework_count > 0) AS rework
               FROM scoped s LEFT JOIN late l ON l.incident_id = s.id
              GROUP BY 1 ORDER BY 1`,
            args,
          )
        ).rows;
      const toJson = (r: RateRow) => ({
        key: r.key,
        total: Number(r.total),
        closed: Number(r.closed),
        closedOnTime: Number(r.closed_on_time),
        handled: Number(r.handled),
        rework: Number(r.rework),
      });
      const [overall] = await rates("'all'");
      const companies = await ctx.pool.query<{ company: string; violations: string; vehicles: string }>(
        `WITH ${scoped}
         SELECT c.name AS company, count(DISTINCT iv.incident_id) AS violations, count(DISTINCT iv.vehicle_id) AS vehicles
           FROM scoped s JOIN incident_vehicles iv ON iv.incident_id = s.id AND iv.rank = 1
           JOIN vehicles v ON v.id = iv.vehicle_id JOIN companies c ON c.id = v.company_id
          GROUP BY c.id, c.name ORDER BY violations DESC, c.name LIMIT 20`,
        args,
      );
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        overall: overall
          ? toJson(overall)
          : { key: 'all', total: 0, closed: 0, closedOnTime: 0, handled: 0, rework: 0 },
        byType: (await rates('s.type')).map(toJson),
        byDistrict: (await rates('s.jurisdiction_code')).map(toJson),
        byDay: (await rates(`to_char(s.started_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`)).map(toJson),
        companies: companies.rows.map((c) => ({
          company: c.company,
          violations: Number(c.violations),
          vehicles: Number(c.vehicles),
        })),
      };
    },
  );
}

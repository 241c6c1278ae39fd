import type { FastifyInstance } from 'fastify';
import { readTerminalPresence } from '../../core/index.js';
import type { RouteContext } from '../context.js';
import { errorResponses, nullableString } from '../schemas.js';

const terminalItem = {
  type: 'object',
  required: ['terminalId', 'online'],
  properties: {
    terminalId: { type: 'string' },
    vehicleId: { type: ['integer', 'null'] },
    plate: nullableString,
    company: nullableString,
    online: { type: 'boolean' },
    since: { type: ['string', 'null'], description: 'When it went online/offline; null: never seen' },
  },
} as const;

export function terminalPresenceRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    '/api/terminals/presence',
    {
      config: { access: ['operator', 'auditor', 'admin'] },
      schema: {
        tags: ['map'],
        summary:
          'Every provisioned GPS terminal with its truck and whether it is connected to a gateway now ' +
          '(changes arrive on /api/stream as `terminal` events)',
        response: { 200: { type: 'array', items: terminalItem }, ...errorResponses },
      },
    },
    async () => {
      const { rows } = await ctx.pool.query<{
        terminal_id: string;
        vehicle_id: string | null;
        plate: string | null;
        company: string | null;
      }>(
        `SELECT t.terminal_id, t.vehicle_id, v.plate, c.name AS company
           FROM terminals t LEFT JOIN vehicles v ON v.id = t.vehicle_id
           LEFT JOIN companies c ON c.id = v.company_id
          ORDER BY t.terminal_id`,
      );
      // The gateway names a terminal by its number without leading zeros (as JT/T 808 headers do).
      const presence = new Map(
        (await readTerminalPresence(ctx.redis, ctx.prefix)).map((p) => [p.terminalId.replace(/^0+/, ''), p]),
      );
      return rows.map((t) => {
        const p = presence.get(t.terminal_id.replace(/^0+/, ''));
        return {
          terminalId: t.terminal_id,
          vehicleId: t.vehicle_id === null ? null : Number(t.vehicle_id),
          plate: t.plate,
          company: t.company,
          online: p?.online ?? false,
          since: p ? new Date(p.since).toISOString() : null,
        };
      });
    },
  );
}

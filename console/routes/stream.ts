import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../auth/guard.js';
import type { SessionUser } from '../auth/sessions.js';
import type { RouteContext } from '../context.js';
import type { LiveEvent } from '../live.js';
import { seesJurisdiction } from '../scope.js';
import { errorResponses } from '../schemas.js';

/** Which pushed events a user gets: their district only; enforcement only their team's cases. */
export function wants(user: SessionUser, e: LiveEvent): boolean {
  // Cameras and trucks are watched city-wide (a truck crosses districts), not by enforcement.
  if (e.kind === 'camera' || e.kind === 'terminal') return user.role !== 'enforcement';
  if (!seesJurisdiction(user, e.jurisdictionCode)) return false;
  if (user.role === 'enforcement')
    return e.kind === 'incident' && user.teamId !== null && e.teamId === user.teamId;
  return true;
}

export function streamRoutes(app: FastifyInstance, ctx: RouteContext): void {
  // Open streams never end by themselves: end them before the server waits for its connections.
  const open = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of open) end();
    done();
  });
  app.get(
    '/api/stream',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['live'],
        summary:
          'Server-sent events: alerts, incident changes, camera health, GPS terminals online/offline (text/event-stream)',
        response: { 200: { type: 'string', description: 'text/event-stream' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { user } = sessionOf(req);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n: connected\n\n');
      const unsubscribe = await ctx.live.subscribe((e) => {
        if (wants(user, e)) res.write(`event: ${e.kind}\ndata: ${JSON.stringify(e)}\n\n`);
      });
      // Comments keep proxies from closing an idle stream.
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      const end = (): void => {
        clearInterval(ping);
        unsubscribe();
        open.delete(end);
        res.end();
      };
      open.add(end);
      req.raw.on('close', end);
    },
  );
}

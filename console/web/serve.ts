import type { FastifyInstance } from 'fastify';
import { bundleWeb } from './build.js';

/**
 * The web app: one HTML page, one JS and one CSS bundle, built in memory by esbuild the first
 * time they are asked for (nothing generated is committed; no CDN). Hash routing keeps every
 * page at `/`.
 */
export function webRoutes(app: FastifyInstance): void {
  const send =
    (file: 'html' | 'js' | 'css', type: string) =>
    async (_req: unknown, reply: import('fastify').FastifyReply) => {
      const b = await bundleWeb();
      return reply.header('content-type', type).header('cache-control', 'no-cache').send(b[file]);
    };
  app.get('/', { schema: { hide: true } }, send('html', 'text/html; charset=utf-8'));
  app.get('/assets/app.js', { schema: { hide: true } }, send('js', 'text/javascript; charset=utf-8'));
  app.get('/assets/app.css', { schema: { hide: true } }, send('css', 'text/css; charset=utf-8'));
}

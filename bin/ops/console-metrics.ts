import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../core/index.js';

/** Requests by route template (not raw URL: ids would explode the label set) and their duration. */
export function consoleMetrics(metrics: Metrics, app: FastifyInstance): void {
  const requests = metrics.counter('muckwatch_http_requests_total', 'Console API requests answered.', [
    'method',
    'route',
    'status',
  ]);
  const seconds = metrics.histogram(
    'muckwatch_http_request_seconds',
    'Console API response time.',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ['method', 'route'],
  );
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ method: req.method, route, status: reply.statusCode });
    seconds.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
}

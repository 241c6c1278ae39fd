import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MuckError } from '../errors.js';
import type { Health } from './health.js';
import type { Metrics } from './metrics.js';

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

const json = (status: number, body: unknown): [number, string, string] => [
  status,
  'application/json; charset=utf-8',
  JSON.stringify(body),
];

/**
 * Every process's operations endpoint: `GET /metrics` (Prometheus text) and `GET /health`
 * (200 when every check passes, 503 with the failing check's reason otherwise). Plain node:http,
 * so it answers even when a process's own server (if it has one) is saturated.
 */
export async function startOpsServer(o: {
  host: string;
  port: number;
  metrics: Metrics;
  health: Health;
}): Promise<OpsServer> {
  const answer = async (method: string, path: string): Promise<[number, string, string]> => {
    if (method !== 'GET' && method !== 'HEAD') {
      return json(404, {
        code: 'MW_NOT_FOUND',
        message: `${method} ${path}: use GET /metrics or GET /health.`,
      });
    }
    if (path === '/metrics') return [200, o.metrics.contentType, await o.metrics.text()];
    if (path === '/health') {
      const r = await o.health.report();
      return json(r.status === 'ok' ? 200 : 503, r);
    }
    return json(404, {
      code: 'MW_NOT_FOUND',
      message: `${path}: this endpoint serves /metrics and /health.`,
    });
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    answer(req.method ?? 'GET', path)
      .catch((err: unknown) =>
        json(500, {
          code: 'MW_METRICS_FAILED',
          message: `Collecting ${path} failed: ${(err as Error).message}`,
        }),
      )
      .then(
        ([status, type, body]) => {
          res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
          res.end(req.method === 'HEAD' ? undefined : body);
        },
        () => res.destroy(),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new MuckError(
              'MW_OPS_PORT_IN_USE',
              `OPS_PORT=${o.port} (metrics and health) is in use. Each MuckWatch process on one host ` +
                'needs its own: set OPS_PORT to a free port, or stop the process holding it.',
            )
          : err,
      );
    });
    server.listen(o.port, o.host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

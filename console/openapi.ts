import type { Pool } from '../core/index.js';
import { buildApp } from './app.js';

/**
 * The OpenAPI document, generated from the routes' JSON schemas. Building the app touches no
 * service (connections open on first use), so this runs without PostgreSQL or Redis.
 */
export async function generateOpenApi(): Promise<string> {
  const app = buildApp({ pool: {} as Pool, redis: {} as never, redisPrefix: 'openapi', web: false });
  await app.ready();
  const doc = app.swagger();
  await app.close();
  return `${JSON.stringify(doc, null, 2)}\n`;
}

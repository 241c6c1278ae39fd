import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import type { Pool } from '../core/index.js';
import { buildApp } from './app.js';

export const OPENAPI_PATH = fileURLToPath(new URL('./openapi.json', import.meta.url));

/**
 * The OpenAPI document, generated from the routes' JSON schemas and formatted the way the
 * repository's Prettier check expects. Building the app touches no service (connections open
 * on first use), so this runs without PostgreSQL or Redis.
 */
export async function generateOpenApi(): Promise<string> {
  const app = buildApp({
    pool: {} as unknown as Pool,
    redis: {} as never,
    redisPrefix: 'openapi',
    web: false,
  });
  await app.ready();
  const doc = app.swagger();
  await app.close();
  const options = (await resolveConfig(OPENAPI_PATH)) ?? {};
  return format(JSON.stringify(doc), { ...options, filepath: OPENAPI_PATH });
}

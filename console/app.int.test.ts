import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPresence } from '../core/index.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../core/testing/services.js';
import { buildApp } from './app.js';

describe('console health', () => {
  let db: TestDatabase;
  let r: TestRedis;
  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
  });
  afterAll(async () => {
    await db.cleanup();
    await r.cleanup();
  });

  it('reports PostGIS, Redis and the processes that announced themselves', async () => {
    const presence = startPresence(r.redis, r.ctx.prefix, {
      process: 'pipeline',
      node: 'node-a',
      pid: 42,
      startedAt: '2026-11-27T00:00:00.000Z',
    });
    const app = buildApp({ pool: db.pool, redis: r.redis, redisPrefix: r.ctx.prefix });
    await new Promise((res) => setTimeout(res, 50));
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      status: string;
      database: { postgis: string };
      processes: { process: string }[];
    }>();
    expect(body.status).toBe('ok');
    expect(body.database.postgis).toMatch(/^\d+\.\d+/);
    expect(body.processes.map((p) => p.process)).toEqual(['pipeline']);
    await presence.stop();
    const after = (await app.inject({ method: 'GET', url: '/api/health' })).json<{ processes: unknown[] }>();
    expect(after.processes).toEqual([]);
    await app.close();
  });
});

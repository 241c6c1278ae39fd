/**
 * Shared set-up of the console benchmarks: a fresh schema and Redis prefix, a console listening
 * on a free port with one operator, and Debian's chromium logged in as that operator.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp, createUser, type ConsoleApp } from '../console/index.js';
import { createPool, ident, loadProcessConfig, migrate, type Pool } from '../core/index.js';

export interface BenchConsole {
  readonly pool: Pool;
  readonly redis: Redis;
  readonly prefix: string;
  readonly app: ConsoleApp;
  readonly base: string;
  readonly browser: Browser;
  login(path: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startBenchConsole(): Promise<BenchConsole> {
  const config = loadProcessConfig([]);
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const pool = createPool({ ...config.database, schema, poolSize: 4 });
  await migrate(pool, schema);
  const prefix = `bench-${randomUUID()}`;
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  await createUser(
    pool,
    {
      username: 'op',
      displayName: 'op',
      password: 'bench-password',
      role: 'operator',
      jurisdictionCode: null,
      teamId: null,
    },
    { id: null, name: 'bench' },
  );
  const app = buildApp({ pool, redis, redisPrefix: prefix, dataDir: `.data/bench-${schema}` });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${String((app.server.address() as AddressInfo).port)}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  return {
    pool,
    redis,
    prefix,
    app,
    base,
    browser,
    async login(path) {
      const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
      await page.goto(base);
      await page.fill('#username', 'op');
      await page.fill('#password', 'bench-password');
      await page.click('#login');
      await page.waitForSelector('header.topbar');
      await page.goto(`${base}/#/${path}`);
      return page;
    },
    async close() {
      await browser.close();
      await app.close();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
      await pool.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
      await pool.end();
    },
  };
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

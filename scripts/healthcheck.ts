/**
 * `tsx scripts/healthcheck.ts PROCESS`: exit 0 when PROCESS on this node has announced itself in
 * Redis within its presence TTL (used by docker-compose healthchecks).
 */
import { Redis } from 'ioredis';
import { listPresence, loadProcessConfig } from '../core/index.js';

const name = process.argv[2];
const config = loadProcessConfig([]);
const redis = new Redis(config.redis.url, {
  lazyConnect: true,
  maxRetriesPerRequest: 1,
  connectTimeout: 2000,
});
redis.on('error', () => undefined);
try {
  await redis.connect();
  const alive = await listPresence(redis, config.redis.prefix);
  const me = alive.find((p) => p.process === name && p.node === config.node.id);
  process.stdout.write(me ? `${String(name)} alive (pid ${me.pid})\n` : `${String(name)} not announced\n`);
  process.exitCode = me ? 0 : 1;
} catch (err) {
  process.stdout.write(`redis: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  redis.disconnect();
}

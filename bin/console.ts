import { buildApp } from '../console/index.js';
import { runProcess } from '../core/index.js';

runProcess('console', async (rt) => {
  const app = buildApp({ pool: rt.pool, redis: rt.redis, redisPrefix: rt.config.redis.prefix });
  const address = await app.listen({ host: rt.config.console.host, port: rt.config.console.port });
  rt.log.info({ address }, 'console listening');
  return () => app.close();
});

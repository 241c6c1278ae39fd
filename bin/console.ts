import { buildApp } from '../console/index.js';
import { runProcess } from '../core/index.js';
import { consoleMetrics } from './ops/console-metrics.js';

runProcess('console', async (rt, ops) => {
  const c = rt.config;
  const app = buildApp({
    pool: rt.pool,
    redis: rt.redis,
    redisPrefix: c.redis.prefix,
    dataDir: c.paths.dataDir,
    signingKeyPath: c.evidence.signingKey,
    sessionTtlS: c.console.sessionTtlS,
    loginMaxFailures: c.console.loginMaxFailures,
    secureCookie: c.console.secureCookie,
    cameraStaleS: c.console.cameraStaleS,
    ffmpeg: c.paths.ffmpeg,
    secretsKey: c.secrets.key,
    cameraTimeoutS: c.pipeline.ioTimeoutS,
  });
  consoleMetrics(ops.metrics, app);
  const address = await app.listen({ host: c.console.host, port: c.console.port });
  rt.log.info({ address }, 'console listening');
  return () => app.close();
});

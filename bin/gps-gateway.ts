import { hostname } from 'node:os';
import { releaseNodeTerminals, runProcess, TerminalPresencePublisher, TypedQueue } from '../core/index.js';
import {
  GpsIntake,
  Jt808Gateway,
  PgTerminalRegistry,
  buildHttpIntake,
  intakeSettings,
  platformAuthenticator,
  platformDeviceScope,
  vehicleLookup,
} from '../ingest/index.js';
import { gpsGatewayMetrics } from './ops/gps-metrics.js';

// Wiring: config → db (migrated) → redis + presence → points queue → intake (filters, PostGIS,
// spool, reorder, queue) → JT/T 808 TCP gateway + HTTP intake.
runProcess('gps-gateway', async (rt, ops) => {
  const { gps, redis, node } = rt.config;
  const queue = new TypedQueue('gps-points', rt.queues);
  const spoolKey = `${redis.prefix}:gps:spool:${node.id || 'default'}`;
  const intake = new GpsIntake({
    pool: rt.pool,
    redis: rt.redis,
    queue,
    prefix: redis.prefix,
    settings: intakeSettings(gps, spoolKey),
    log: rt.log,
  });
  await intake.start();

  // Terminals this node's previous run left online went offline when it stopped.
  const presenceNode = node.id || hostname();
  await releaseNodeTerminals(rt.redis, redis.prefix, presenceNode);
  const presence = new TerminalPresencePublisher(rt.redis, redis.prefix, presenceNode, (err) => {
    rt.log.warn({ err: (err as Error).message }, 'terminal presence not published');
  });
  const gateway = new Jt808Gateway({
    host: gps.host,
    port: gps.jt808Port,
    heartbeatTimeoutMs: gps.heartbeatTimeoutS * 1000,
    subpackageTimeoutMs: gps.subpackageTimeoutS * 1000,
    registry: new PgTerminalRegistry(rt.pool),
    intake,
    log: rt.log,
    presence,
  });
  gpsGatewayMetrics(ops.metrics, gateway.stats, intake.writer.stats);
  const tcp = await gateway.listen();
  rt.log.info({ port: tcp.port }, 'JT/T 808 gateway listening');

  const http = buildHttpIntake({
    intake,
    authenticate: platformAuthenticator(rt.pool),
    scope: platformDeviceScope(rt.pool),
    vehicleOf: vehicleLookup(rt.pool),
    maxBatch: gps.httpMaxBatch,
  });
  const address = await http.listen({ host: gps.host, port: gps.httpPort });
  rt.log.info({ address }, 'GPS HTTP intake listening');

  const report = setInterval(() => {
    rt.log.info(
      { gateway: gateway.stats, writer: intake.writer.stats, publisher: intake.publisher.stats },
      'gps stats',
    );
  }, 60_000);
  report.unref();

  return async () => {
    clearInterval(report);
    await gateway.close();
    await http.close();
    await intake.close();
    await queue.close();
  };
});

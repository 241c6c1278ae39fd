export { Metrics, type Labels, type Sample } from './metrics.js';
export { Health, type HealthCheck, type HealthReport, type CheckResult } from './health.js';
export { startOpsServer, type OpsServer } from './server.js';
export { queueDepthMetrics } from './queue-depth.js';

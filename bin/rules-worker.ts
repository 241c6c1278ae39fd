import { queueDepthMetrics, runProcess } from '../core/index.js';
import { startRulesWorker } from '../rules/index.js';
import { rulesWorkerMetrics } from './ops/rules-metrics.js';

// Wiring: config → db (migrated) → redis + presence → rules worker (queues in, incidents out).
runProcess('rules-worker', async (rt, ops) => {
  const worker = await startRulesWorker(rt);
  rulesWorkerMetrics(ops.metrics, worker.stats, rt.pool);
  const depths = queueDepthMetrics(ops.metrics, rt.queues, ['gps-points', 'camera-events']);
  return async () => {
    await worker.stop();
    await depths.close();
  };
});

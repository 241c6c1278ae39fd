import { runProcess } from '../core/index.js';
import { PipelineNode } from '../ingest/index.js';

// Wiring: config → db (migrated) → redis + presence → camera leases and supervisors.
runProcess('pipeline', (rt) => {
  const node = new PipelineNode({ pool: rt.pool, redis: rt.redis, log: rt.log, config: rt.config });
  node.start();
  return Promise.resolve(() => node.stop());
});

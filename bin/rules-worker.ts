import { runProcess } from '../core/index.js';
import { startRulesWorker } from '../rules/index.js';

// Wiring: config → db (migrated) → redis + presence → rules worker (queues in, incidents out).
runProcess('rules-worker', async (rt) => (await startRulesWorker(rt)).stop);

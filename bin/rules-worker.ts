import { runProcess } from '../core/index.js';

// Wiring: config → db (migrated) → redis + presence; this process's stage components join here.
runProcess('rules-worker', () => Promise.resolve(() => Promise.resolve()));

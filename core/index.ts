export * from './config/index.js';
export * from './db/index.js';
export * from './queues/index.js';
export * from './domain.js';
export * from './errors.js';
export * from './log.js';
export * from './processes.js';
export { openRuntime, runProcess, type Runtime, type Stop } from './runtime.js';
export { startPresence, listPresence, type Presence } from './presence.js';

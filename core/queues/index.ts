export * from './catalog.js';
export { TypedQueue, typedWorker, createRedis, assertRedisReachable, DEFAULT_JOB_OPTIONS } from './bullmq.js';
export type { QueueContext, JobStatus, TypedWorkerOptions } from './bullmq.js';

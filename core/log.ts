import { pino, type Logger } from 'pino';
import type { Config } from './config/index.js';

export type { Logger };

export function createLogger(config: Pick<Config, 'log' | 'node'>, process: string): Logger {
  return pino({ level: config.log.level, base: { process, node: config.node.id } });
}

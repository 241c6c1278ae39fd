/**
 * Every setting MuckWatch reads, in one list: its key in the config file, its environment
 * variable, its type, default and meaning. The zod schema, the loader and the README's
 * configuration reference are all derived from this list, so they cannot disagree.
 */
export type SettingKind =
  | { type: 'string' }
  | { type: 'url'; protocols: readonly string[] }
  | { type: 'int'; min: number; max: number }
  | { type: 'number'; min: number; max: number }
  | { type: 'bool' }
  | { type: 'enum'; values: readonly string[] };

export interface Setting {
  /** Dotted path in the config file, e.g. `database.url`. */
  readonly key: string;
  readonly env: string;
  readonly kind: SettingKind;
  readonly default: string | number | boolean;
  readonly description: string;
}

const url = (...protocols: string[]): SettingKind => ({ type: 'url', protocols });
const int = (min: number, max: number): SettingKind => ({ type: 'int', min, max });
const bool: SettingKind = { type: 'bool' };
const str: SettingKind = { type: 'string' };
const oneOf = (...values: string[]): SettingKind => ({ type: 'enum', values });

export const SETTINGS = [
  {
    key: 'database.url',
    env: 'DATABASE_URL',
    kind: url('postgres', 'postgresql'),
    default: 'postgres://postgres@127.0.0.1:5432/muckwatch',
    description: 'PostgreSQL (with PostGIS) connection URL.',
  },
  {
    key: 'database.schema',
    env: 'DATABASE_SCHEMA',
    kind: str,
    default: 'public',
    description: 'Schema that holds MuckWatch tables (PostGIS itself lives in `public`).',
  },
  {
    key: 'database.poolSize',
    env: 'DATABASE_POOL_SIZE',
    kind: int(1, 200),
    default: 10,
    description: 'Maximum connections per process.',
  },
  {
    key: 'database.migrateOnStart',
    env: 'DATABASE_MIGRATE_ON_START',
    kind: bool,
    default: true,
    description: 'Apply pending migrations when a process starts.',
  },
  {
    key: 'redis.url',
    env: 'REDIS_URL',
    kind: url('redis', 'rediss'),
    default: 'redis://127.0.0.1:6379',
    description: 'Redis connection URL (BullMQ queues, leases, live alerts).',
  },
  {
    key: 'redis.prefix',
    env: 'REDIS_PREFIX',
    kind: str,
    default: 'mw',
    description: 'Key prefix for every Redis key and BullMQ queue this deployment owns.',
  },
  {
    key: 'log.level',
    env: 'LOG_LEVEL',
    kind: oneOf('trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'),
    default: 'info',
    description: 'Log level (JSON logs on stdout).',
  },
  {
    key: 'node.id',
    env: 'NODE_ID',
    kind: str,
    default: '',
    description: 'Name of this pipeline node (camera leases, clip-job routing). Empty = host name.',
  },
  {
    key: 'paths.dataDir',
    env: 'DATA_DIR',
    kind: str,
    default: '.data',
    description: 'Root folder for recordings and evidence (relative to the working directory).',
  },
  {
    key: 'paths.ffmpeg',
    env: 'FFMPEG_PATH',
    kind: str,
    default: 'ffmpeg',
    description: 'ffmpeg executable.',
  },
  {
    key: 'console.host',
    env: 'CONSOLE_HOST',
    kind: str,
    default: '127.0.0.1',
    description: 'Address the console (API + web app) listens on.',
  },
  {
    key: 'console.port',
    env: 'CONSOLE_PORT',
    kind: int(0, 65535),
    default: 8080,
    description: 'Port of the console.',
  },
  {
    key: 'gps.host',
    env: 'GPS_HOST',
    kind: str,
    default: '0.0.0.0',
    description: 'Address the GPS gateway listens on (JT/T 808 TCP and HTTP intake).',
  },
  {
    key: 'gps.jt808Port',
    env: 'GPS_JT808_PORT',
    kind: int(0, 65535),
    default: 6808,
    description: 'JT/T 808 TCP port for vehicle terminals.',
  },
  {
    key: 'gps.httpPort',
    env: 'GPS_HTTP_PORT',
    kind: int(0, 65535),
    default: 8081,
    description: 'HTTP port for position batches pushed by other platforms.',
  },
] as const satisfies readonly Setting[];

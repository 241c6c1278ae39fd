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
    key: 'ops.host',
    env: 'OPS_HOST',
    kind: str,
    default: '127.0.0.1',
    description: "Address of every process's operations endpoint (GET /metrics for Prometheus, GET /health).",
  },
  {
    key: 'ops.port',
    env: 'OPS_PORT',
    kind: int(0, 65535),
    default: 0,
    description:
      "Port of the operations endpoint. 0 = the process's standard port: console 9461, gps-gateway 9462, pipeline 9463, rules-worker 9464 (set it when two processes share a host).",
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
    key: 'console.sessionTtlS',
    env: 'CONSOLE_SESSION_TTL_S',
    kind: int(60, 604800),
    default: 43200,
    description: 'A console login session ends after this many seconds without a request.',
  },
  {
    key: 'console.loginMaxFailures',
    env: 'CONSOLE_LOGIN_MAX_FAILURES',
    kind: int(1, 1000),
    default: 5,
    description:
      'Failed logins per user name and address within 15 minutes before further tries are refused.',
  },
  {
    key: 'console.secureCookie',
    env: 'CONSOLE_SECURE_COOKIE',
    kind: bool,
    default: false,
    description: 'Mark the session cookie Secure (set when the console is served over HTTPS).',
  },
  {
    key: 'console.cameraStaleS',
    env: 'CONSOLE_CAMERA_STALE_S',
    kind: int(1, 3600),
    default: 30,
    description: 'Camera health older than this many seconds is shown as stale (its node stopped reporting).',
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
  {
    key: 'gps.heartbeatTimeoutS',
    env: 'GPS_HEARTBEAT_TIMEOUT_S',
    kind: int(10, 3600),
    default: 180,
    description: 'A JT/T 808 link with no message for this many seconds is closed.',
  },
  {
    key: 'gps.subpackageTimeoutS',
    env: 'GPS_SUBPACKAGE_TIMEOUT_S',
    kind: int(1, 3600),
    default: 60,
    description:
      'Packets of a subpackaged JT/T 808 message not complete within this many seconds are dropped.',
  },
  {
    key: 'gps.reorderToleranceS',
    env: 'GPS_REORDER_TOLERANCE_S',
    kind: int(0, 3600),
    default: 10,
    description:
      "A point up to this many seconds older than its device's newest is accepted and put back in order; older ones are quarantined (blind-area backlog excepted).",
  },
  {
    key: 'gps.futureToleranceS',
    env: 'GPS_FUTURE_TOLERANCE_S',
    kind: int(0, 86400),
    default: 300,
    description:
      'Fix times up to this many seconds ahead of the gateway clock are accepted; later ones are quarantined.',
  },
  {
    key: 'gps.maxAgeHours',
    env: 'GPS_MAX_AGE_HOURS',
    kind: int(1, 8760),
    default: 168,
    description: 'Fix times older than this many hours (backlog included) are quarantined.',
  },
  {
    key: 'gps.maxSpeedKmh',
    env: 'GPS_MAX_SPEED_KMH',
    kind: int(20, 2000),
    default: 180,
    description:
      'A move implying more than this speed from the previous fix is an impossible jump (quarantined).',
  },
  {
    key: 'gps.jumpMinDistanceM',
    env: 'GPS_JUMP_MIN_DISTANCE_M',
    kind: int(0, 100000),
    default: 500,
    description: 'Moves shorter than this many metres are never jumps (GPS noise between close fixes).',
  },
  {
    key: 'gps.batchSize',
    env: 'GPS_BATCH_SIZE',
    kind: int(1, 50000),
    default: 2000,
    description: 'Points written to PostgreSQL per batch.',
  },
  {
    key: 'gps.flushMs',
    env: 'GPS_FLUSH_MS',
    kind: int(1, 10000),
    default: 50,
    description: 'A partial batch is written after this many milliseconds.',
  },
  {
    key: 'gps.spoolMaxPoints',
    env: 'GPS_SPOOL_MAX_POINTS',
    kind: int(0, 100000000),
    default: 2000000,
    description:
      'Accepted points held in Redis while PostgreSQL is down; beyond it terminals are answered "failure" and keep their data.',
  },
  {
    key: 'gps.httpMaxBatch',
    env: 'GPS_HTTP_MAX_BATCH',
    kind: int(1, 100000),
    default: 5000,
    description: 'Most positions in one HTTP batch.',
  },
  {
    key: 'rules.homeJurisdiction',
    env: 'RULES_HOME_JURISDICTION',
    kind: str,
    default: '',
    description:
      'Zone code of the home jurisdiction (its child jurisdictions count as home too). Empty = the jurisdiction zones marked `"home": true`, or the only top-level one.',
  },
  {
    key: 'rules.stopRadiusM',
    env: 'RULES_STOP_RADIUS_M',
    kind: int(10, 5000),
    default: 200,
    description: 'Stop detection: a vehicle staying within this many metres …',
  },
  {
    key: 'rules.stopMinS',
    env: 'RULES_STOP_MIN_S',
    kind: int(10, 86400),
    default: 180,
    description: '… for at least this many seconds has stopped.',
  },
  {
    key: 'rules.stopByKind',
    env: 'RULES_STOP_BY_KIND',
    kind: str,
    default: '',
    description:
      'Stop radius/duration per zone kind, e.g. `construction_site=150/120,disposal_site=150/120` (metres/seconds).',
  },
  {
    key: 'rules.unloadMinS',
    env: 'RULES_UNLOAD_MIN_S',
    kind: int(10, 86400),
    default: 240,
    description: 'A loaded stop is long enough to unload when the truck stood still (within 30 m) this long.',
  },
  {
    key: 'rules.routeDeviationM',
    env: 'RULES_ROUTE_DEVIATION_M',
    kind: int(0, 100000),
    default: 100,
    description: 'route_deviation: metres outside the approved corridor …',
  },
  {
    key: 'rules.routeDeviationS',
    env: 'RULES_ROUTE_DEVIATION_S',
    kind: int(0, 86400),
    default: 120,
    description: '… for longer than this many seconds.',
  },
  {
    key: 'rules.offHoursMinS',
    env: 'RULES_OFF_HOURS_MIN_S',
    kind: int(0, 86400),
    default: 60,
    description: 'off_hours: seconds of loaded movement outside permitted hours before it fires.',
  },
  {
    key: 'rules.gpsErrorM',
    env: 'RULES_GPS_ERROR_M',
    kind: int(0, 1000),
    default: 30,
    description: 'GPS error margin in metres (boundaries, camera footprints).',
  },
  {
    key: 'rules.reorderWindowS',
    env: 'RULES_REORDER_WINDOW_S',
    kind: int(0, 3600),
    default: 30,
    description:
      'Out-of-order GPS points up to this late (per vehicle) are put back in order; later ones are dropped.',
  },
  {
    key: 'rules.linkLagS',
    env: 'RULES_LINK_LAG_S',
    kind: int(0, 3600),
    default: 120,
    description:
      'Camera events are linked to trucks once GPS event time has passed them by this many seconds.',
  },
  {
    key: 'rules.warmupS',
    env: 'RULES_WARMUP_S',
    kind: int(0, 31_536_000),
    default: 3600,
    description:
      'At start the rules worker replays this many seconds of stored points and camera events, so load states and stops survive a restart (0 = start empty).',
  },
  {
    key: 'rules.refreshS',
    env: 'RULES_REFRESH_S',
    kind: int(1, 86400),
    default: 30,
    description: 'How often the rules worker checks zones, vehicles and cameras for changes.',
  },
  {
    key: 'pipeline.segmentSeconds',
    env: 'PIPELINE_SEGMENT_SECONDS',
    kind: int(2, 10),
    default: 4,
    description: 'Length of copy-mode recording segments (the evidence ring buffer), seconds.',
  },
  {
    key: 'pipeline.retentionHours',
    env: 'PIPELINE_RETENTION_HOURS',
    kind: int(1, 24 * 365),
    default: 72,
    description:
      'Recordings older than this are deleted (unless evidence references them or they are on hold).',
  },
  {
    key: 'pipeline.recordingBudgetMb',
    env: 'PIPELINE_RECORDING_BUDGET_MB',
    kind: int(10, 10_000_000),
    default: 20_000,
    description: 'Disk budget per camera for recordings, MiB; the oldest unheld segments go first.',
  },
  {
    key: 'pipeline.ioTimeoutS',
    env: 'PIPELINE_IO_TIMEOUT_S',
    kind: int(1, 120),
    default: 10,
    description: 'RTSP connect/read timeout, seconds.',
  },
  {
    key: 'pipeline.stallTimeoutS',
    env: 'PIPELINE_STALL_TIMEOUT_S',
    kind: int(1, 300),
    default: 10,
    description: 'No frame for this long = the stream stalled; ffmpeg is restarted.',
  },
  {
    key: 'pipeline.fastDecode',
    env: 'PIPELINE_FAST_DECODE',
    kind: bool,
    default: false,
    description:
      'Decode for analysis without the deblocking filter: about a sixth less CPU per camera, for slightly blockier frames that can move detection scores (recordings are copied, never re-encoded, so they are untouched).',
  },
  {
    key: 'pipeline.frameQueue',
    env: 'PIPELINE_FRAME_QUEUE',
    kind: int(1, 1000),
    default: 10,
    description: 'Frames buffered per camera before the oldest are dropped (and counted).',
  },
  {
    key: 'pipeline.leaseTtlS',
    env: 'PIPELINE_LEASE_TTL_S',
    kind: int(3, 120),
    default: 8,
    description: 'Camera lease time-to-live in Redis; a dead node loses its cameras after this.',
  },
  {
    key: 'pipeline.tickS',
    env: 'PIPELINE_TICK_S',
    kind: int(1, 60),
    default: 2,
    description: 'How often a pipeline node renews leases, picks up cameras and reloads camera settings.',
  },
  {
    key: 'evidence.clipPreS',
    env: 'EVIDENCE_CLIP_PRE_S',
    kind: int(0, 300),
    default: 10,
    description: 'Seconds of recording kept before an incident in its evidence clip.',
  },
  {
    key: 'evidence.clipPostS',
    env: 'EVIDENCE_CLIP_POST_S',
    kind: int(0, 600),
    default: 20,
    description: 'Seconds of recording kept after an incident in its evidence clip.',
  },
  {
    key: 'evidence.retentionDays',
    env: 'EVIDENCE_RETENTION_DAYS',
    kind: int(1, 36500),
    default: 365,
    description: 'Evidence older than this is deleted (audited, tombstoned) unless under legal hold.',
  },
  {
    key: 'evidence.closedRetentionDays',
    env: 'EVIDENCE_CLOSED_RETENTION_DAYS',
    kind: int(1, 36500),
    default: 180,
    description: 'Evidence of a closed case is deleted this long after closing, unless under legal hold.',
  },
  {
    key: 'evidence.signingKey',
    env: 'EVIDENCE_SIGNING_KEY',
    kind: str,
    default: '',
    description:
      'Ed25519 private key (PEM file) that signs exports. Empty = DATA_DIR/keys/evidence-ed25519.pem, created on first use.',
  },
  {
    key: 'secrets.key',
    env: 'SECRETS_KEY',
    kind: str,
    default: '',
    description:
      'Key that encrypts camera credentials at rest (AES-256-GCM): 32 bytes as 64 hex digits or base64. Empty = DATA_DIR/keys/secrets.key, created on first use. Every console and pipeline node needs the same key.',
  },
  {
    key: 'inference.model',
    env: 'INFERENCE_MODEL',
    kind: str,
    default: 'models/muckwatch-v1/manifest.json',
    description: 'Manifest of the detector each pipeline node runs (empty = record only, no detection).',
  },
  {
    key: 'inference.workers',
    env: 'INFERENCE_WORKERS',
    kind: int(1, 64),
    default: 1,
    description: 'Inference worker threads per pipeline node, each with its own ONNX session.',
  },
  {
    key: 'inference.threads',
    env: 'INFERENCE_THREADS',
    kind: int(1, 64),
    default: 1,
    description: 'onnxruntime intra-op threads per session.',
  },
  {
    key: 'inference.maxBatch',
    env: 'INFERENCE_MAX_BATCH',
    kind: int(1, 64),
    default: 4,
    description: 'Frames from different cameras run together in one batch (when the model allows).',
  },
  {
    key: 'inference.queuePerCamera',
    env: 'INFERENCE_QUEUE_PER_CAMERA',
    kind: int(1, 100),
    default: 2,
    description: 'Frames waiting per camera when inference is behind; older ones are dropped and counted.',
  },
] as const satisfies readonly Setting[];

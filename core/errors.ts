/**
 * The error catalog: every error a user may meet carries a stable code they can search for,
 * a message that says what to do, and (for the API) an HTTP status.
 */
export const ERROR_CATALOG = {
  MW_CONFIG_INVALID: { status: 500, title: 'Configuration is invalid' },
  MW_CONFIG_FILE_UNREADABLE: { status: 500, title: 'Configuration file cannot be read' },
  MW_CONFIG_FILE_MALFORMED: { status: 500, title: 'Configuration file is not valid YAML/JSON' },
  MW_DB_UNREACHABLE: { status: 503, title: 'PostgreSQL cannot be reached' },
  MW_DB_AUTH_FAILED: { status: 503, title: 'PostgreSQL refused the credentials' },
  MW_DB_MISSING: { status: 503, title: 'The PostgreSQL database does not exist' },
  MW_POSTGIS_MISSING: { status: 503, title: 'PostGIS is not installed on the PostgreSQL server' },
  MW_REDIS_UNREACHABLE: { status: 503, title: 'Redis cannot be reached' },
  MW_MIGRATION_EDITED: { status: 500, title: 'An applied migration was edited' },
  MW_MIGRATION_FAILED: { status: 500, title: 'A migration failed to apply' },
  MW_JOB_PAYLOAD_INVALID: { status: 400, title: 'A queue message does not match its schema' },
  MW_MODEL_MANIFEST_INVALID: { status: 500, title: 'A model manifest is missing or invalid' },
  MW_MODEL_UNREADABLE: { status: 500, title: 'A model file is missing or is not a valid ONNX model' },
  MW_MODEL_MISMATCH: { status: 500, title: 'A model file disagrees with its manifest' },
  MW_NOT_FOUND: { status: 404, title: 'Not found' },
  MW_EVIDENCE_ON_HOLD: { status: 409, title: 'Evidence is under legal hold' },
  MW_EVIDENCE_PACKAGE_INVALID: { status: 400, title: 'Evidence package does not verify' },
  MW_VALIDATION: { status: 400, title: 'Request is invalid' },
  MW_ZONE_INVALID: { status: 400, title: 'A zone (GeoJSON feature) is invalid' },
  MW_RULES_CONFIG_INVALID: { status: 500, title: 'A rules setting cannot be parsed' },
  MW_INCIDENT_TRANSITION: { status: 409, title: 'This incident cannot move to that status now' },
  MW_GPS_UNAVAILABLE: {
    status: 503,
    title: 'GPS storage is unavailable and its spool is full; send the positions again later',
  },
  MW_GPS_WRITE_FAILED: { status: 500, title: 'PostgreSQL refused a batch of GPS points' },
  MW_GPS_PLATFORM_AUTH: {
    status: 401,
    title: 'The position batch carries no valid platform API token (Authorization: Bearer …)',
  },
  MW_GPS_DEVICE_NOT_ALLOWED: {
    status: 403,
    title:
      'The platform may not report this device (not an active registered truck of its companies); see platforms-cli scope',
  },
  MW_AUTH_REQUIRED: { status: 401, title: 'Log in first (no session, or it expired)' },
  MW_LOGIN_FAILED: { status: 401, title: 'User name or password is wrong, or the user is disabled' },
  MW_LOGIN_RATE_LIMITED: { status: 429, title: 'Too many failed logins; wait before trying again' },
  MW_FORBIDDEN: { status: 403, title: 'Your role may not do this' },
  MW_CSRF: { status: 403, title: 'Missing or wrong CSRF token (send the x-csrf-token header)' },
  MW_RANGE_NOT_SATISFIABLE: { status: 416, title: 'The requested byte range is outside the file' },
  MW_SECRET_UNREADABLE: { status: 500, title: 'A stored secret cannot be decrypted with the secrets key' },
  MW_CAMERA_UNREACHABLE: { status: 502, title: 'The camera gave no picture (see the message for why)' },
  MW_IMPORT_INVALID: { status: 400, title: 'An import has rows with errors; nothing was imported' },
  MW_OPS_PORT_IN_USE: { status: 500, title: 'The metrics and health port is taken by another process' },
  MW_METRICS_FAILED: { status: 500, title: 'Collecting metrics failed' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export class MuckError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: readonly string[];

  constructor(
    code: ErrorCode,
    message: string,
    details: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MuckError';
    this.code = code;
    this.status = ERROR_CATALOG[code].status;
    this.details = details;
  }

  /** Human-readable, multi-line form for terminals and logs. */
  format(): string {
    const lines = [`${this.code}: ${this.message}`, ...this.details.map((d) => `  - ${d}`)];
    return lines.join('\n');
  }
}

export function isMuckError(err: unknown): err is MuckError {
  return err instanceof MuckError;
}

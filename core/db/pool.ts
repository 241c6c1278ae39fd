import pg from 'pg';
import { MuckError } from '../errors.js';
import type { Config } from '../config/index.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** Quote an SQL identifier (schema names come from config). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Connection options that put the configured schema first and PostGIS's `public` after it. */
export function poolOptions(db: Config['database']): pg.PoolConfig {
  const searchPath = db.schema === 'public' ? 'public' : `${ident(db.schema)},public`;
  return {
    connectionString: db.url,
    max: db.poolSize,
    options: `-c search_path=${searchPath}`,
    connectionTimeoutMillis: 5000,
  };
}

export function createPool(db: Config['database']): Pool {
  const pool = new pg.Pool(poolOptions(db));
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** Translate a driver error into a coded error that tells the user what to do. */
export function describeDbError(err: unknown, url: string): MuckError {
  const e = err as { code?: string; message?: string };
  const shown = redactUrl(url);
  const fix =
    'Run `npm run services` to start a local PostgreSQL, or set DATABASE_URL to a reachable server.';
  switch (e.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
    case 'EAI_AGAIN':
      return new MuckError(
        'MW_DB_UNREACHABLE',
        `DATABASE_URL=${shown}: ${e.code} (${e.message ?? ''}). ${fix}`,
      );
    case '28P01':
    case '28000':
      return new MuckError(
        'MW_DB_AUTH_FAILED',
        `DATABASE_URL=${shown}: the server refused the user or password. Fix the credentials in DATABASE_URL.`,
      );
    case '3D000':
      return new MuckError(
        'MW_DB_MISSING',
        `DATABASE_URL=${shown}: the database does not exist. Run \`npm run services\` to create it, or createdb it yourself.`,
      );
    default:
      if (e.message?.includes('timeout')) {
        return new MuckError('MW_DB_UNREACHABLE', `DATABASE_URL=${shown}: connection timed out. ${fix}`);
      }
      return new MuckError(
        'MW_DB_UNREACHABLE',
        `DATABASE_URL=${shown}: ${e.message ?? String(err)}. ${fix}`,
        [],
        {
          cause: err,
        },
      );
  }
}

/** Connect once to check the database answers, with a coded error when it does not. */
export async function assertDatabaseReachable(pool: Pool, url: string): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    throw describeDbError(err, url);
  }
}

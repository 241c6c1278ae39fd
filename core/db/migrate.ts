import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MuckError } from '../errors.js';
import {
  EditedMigrationError,
  parseMigrations,
  pendingMigrations,
  type Migration,
} from './migration-files.js';
import { ident, type Pool, type PoolClient } from './pool.js';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((filename) => ({ filename, sql: readFileSync(join(dir, filename), 'utf8') }));
  return parseMigrations(files);
}

// One lock for the whole server while PostGIS is created: CREATE EXTENSION races otherwise.
const EXTENSION_LOCK = 0x6d77_0001;

/** Make sure PostGIS is installed in `public`; a clear error when the server lacks the package. */
export async function ensurePostgis(client: PoolClient): Promise<void> {
  const { rows } = await client.query<{ installed: string | null; available: boolean }>(
    `SELECT (SELECT extversion FROM pg_extension WHERE extname = 'postgis') AS installed,
            EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') AS available`,
  );
  const row = rows[0];
  if (row?.installed) return;
  if (!row?.available) {
    throw new MuckError(
      'MW_POSTGIS_MISSING',
      'PostGIS is not installed on the PostgreSQL server. Install it (Debian/Ubuntu: ' +
        '`apt-get install postgresql-<version>-postgis-3`, or run `npm run services`), then start again.',
    );
  }
  await client.query('SELECT pg_advisory_lock($1)', [EXTENSION_LOCK]);
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public');
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [EXTENSION_LOCK]);
  }
}

export interface MigrateResult {
  readonly schema: string;
  readonly applied: readonly number[];
  readonly current: number;
}

/**
 * Apply pending migrations to `schema`, each in its own transaction, under an advisory lock
 * so processes starting together do not race. Idempotent.
 */
export async function migrate(
  pool: Pool,
  schema: string,
  migrations = loadMigrations(),
): Promise<MigrateResult> {
  const client = await pool.connect();
  const lockKey = `muckwatch-migrate:${schema}`;
  try {
    await ensurePostgis(client);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
    await client.query(`SET search_path TO ${schema === 'public' ? 'public' : `${ident(schema)}, public`}`);
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version int PRIMARY KEY, name text NOT NULL, checksum char(64) NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await client.query<{ version: number; checksum: string }>(
        'SELECT version, checksum FROM schema_migrations ORDER BY version',
      );
      let pending: Migration[];
      try {
        pending = pendingMigrations(migrations, rows);
      } catch (err) {
        if (err instanceof EditedMigrationError) throw new MuckError('MW_MIGRATION_EDITED', err.message);
        throw err;
      }
      for (const mig of pending) {
        await applyOne(client, mig);
      }
      const current = Math.max(0, ...rows.map((r) => r.version), ...pending.map((m) => m.version));
      return { schema, applied: pending.map((m) => m.version), current };
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  } finally {
    client.release();
  }
}

async function applyOne(client: PoolClient, mig: Migration): Promise<void> {
  try {
    await client.query('BEGIN');
    await client.query(mig.sql);
    await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
      mig.version,
      mig.name,
      mig.checksum,
    ]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw new MuckError(
      'MW_MIGRATION_FAILED',
      `Migration ${String(mig.version).padStart(4, '0')}_${mig.name} failed: ${(err as Error).message}`,
      [],
      { cause: err },
    );
  }
}

export {
  createPool,
  poolOptions,
  ident,
  assertDatabaseReachable,
  describeDbError,
  redactUrl,
} from './pool.js';
export type { Pool, PoolClient } from './pool.js';
export { migrate, loadMigrations, ensurePostgis, MIGRATIONS_DIR, type MigrateResult } from './migrate.js';
export { parseMigrations, pendingMigrations, type Migration } from './migration-files.js';

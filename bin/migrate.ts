import {
  createPool,
  assertDatabaseReachable,
  isMuckError,
  loadProcessConfig,
  migrate,
} from '../core/index.js';

/** `npm run migrate`: apply pending migrations and report the schema version. */
async function main(): Promise<void> {
  const config = loadProcessConfig();
  const pool = createPool(config.database);
  try {
    await assertDatabaseReachable(pool, config.database.url);
    const r = await migrate(pool, config.database.schema);
    process.stdout.write(
      `schema ${r.schema}: version ${r.current}` +
        (r.applied.length ? ` (applied ${r.applied.join(', ')})` : ' (up to date)') +
        '\n',
    );
  } finally {
    await pool.end();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`migrate: ${isMuckError(err) ? err.format() : String(err)}\n`);
  process.exit(1);
});

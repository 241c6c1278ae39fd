/**
 * Platforms that push positions to the HTTP intake:
 *
 *   tsx ingest/gps/platforms-cli.ts add NAME        prints the new platform's API token (shown once)
 *   tsx ingest/gps/platforms-cli.ts reissue NAME    prints a fresh token; the old one stops working
 *   tsx ingest/gps/platforms-cli.ts scope NAME --company A [--company B…]   only these companies' vehicles
 *   tsx ingest/gps/platforms-cli.ts scope NAME --all                        every device
 *   tsx ingest/gps/platforms-cli.ts scope NAME      shows the platform's scope
 *   tsx ingest/gps/platforms-cli.ts disable NAME | enable NAME | list
 */
import { createPool, isMuckError, loadProcessConfig, migrate } from '../../core/index.js';
import { describeScope, getPlatformScope, parseScopeArgs, setPlatformScope } from './platform-scope.js';
import { addPlatform, listPlatforms, reissuePlatformToken, setPlatformEnabled } from './platforms.js';

const [command, name = '', ...options] = process.argv.slice(2);
const config = loadProcessConfig([]);
const pool = createPool(config.database);
try {
  await migrate(pool, config.database.schema);
  switch (command) {
    case 'add':
      process.stdout.write(`${(await addPlatform(pool, name)).token}\n`);
      process.stderr.write(
        `Platform "${name}" may report no device yet: bind it with \`scope ${name} --company NAME\` (or \`--all\`)\n`,
      );
      break;
    case 'reissue':
      process.stdout.write(`${await reissuePlatformToken(pool, name)}\n`);
      break;
    case 'scope': {
      const change = parseScopeArgs(options);
      const scope = change ? await setPlatformScope(pool, name, change) : await getPlatformScope(pool, name);
      process.stdout.write(`${name}\t${describeScope(scope)}\n`);
      break;
    }
    case 'disable':
    case 'enable':
      await setPlatformEnabled(pool, name, command === 'enable');
      break;
    case 'list':
      for (const p of await listPlatforms(pool))
        process.stdout.write(
          `${p.name}\t${p.enabled ? 'enabled' : 'disabled'}\t${p.createdAt.toISOString()}\t${describeScope(p)}\n`,
        );
      break;
    default:
      process.stderr.write(
        'usage: platforms-cli.ts add|reissue|disable|enable NAME, scope NAME [--company NAME…|--all], or list\n',
      );
      process.exitCode = 2;
  }
} catch (err) {
  process.stderr.write(`${isMuckError(err) ? err.format() : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await pool.end();
}

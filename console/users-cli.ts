/**
 * `npm run users:create -- --username admin --role admin [--name 管理员] [--jurisdiction D1] [--team 3]`
 * The password is read from stdin (first line), so it never lands in shell history:
 *   echo 'secret-password' | npm run users:create -- --username admin --role admin
 */
import { parseArgs } from 'node:util';
import { createPool, isMuckError, loadProcessConfig, migrate, type Role } from '../core/index.js';
import { createUser } from './users.js';

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    role: { type: 'string', default: 'admin' },
    name: { type: 'string' },
    jurisdiction: { type: 'string' },
    team: { type: 'string' },
  },
});
if (!values.username) {
  process.stderr.write(
    'usage: npm run users:create -- --username NAME --role admin|operator|enforcement|auditor\n',
  );
  process.exit(2);
}
let input = '';
for await (const chunk of process.stdin) input += String(chunk);
const password = input.split('\n')[0]?.trim() ?? '';

const config = loadProcessConfig([]);
const pool = createPool(config.database);
try {
  await migrate(pool, config.database.schema);
  const id = await createUser(
    pool,
    {
      username: values.username,
      displayName: values.name ?? values.username,
      password,
      role: values.role as Role,
      jurisdictionCode: values.jurisdiction ?? null,
      teamId: values.team ? Number(values.team) : null,
    },
    { id: null, name: 'users:create' },
  );
  process.stdout.write(`created user ${values.username} (id ${String(id)}, role ${values.role})\n`);
} catch (err) {
  process.stderr.write(`${isMuckError(err) ? err.format() : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await pool.end();
}

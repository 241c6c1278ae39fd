/**
 * `npm run demo`: provision the services, migrate, then run every MuckWatch process with its
 * output prefixed. Ctrl-C stops them all (SIGTERM, then SIGKILL after 10 s).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { PROCESSES, loadProcessConfig } from '../core/index.js';

const tsx = [process.execPath, '--import', 'tsx'] as const;
const step = (args: string[]): void => {
  const r = spawnSync(tsx[0], [...tsx.slice(1), ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

step(['scripts/services.ts']);
step(['bin/migrate.ts']);

const config = loadProcessConfig([]);
const children: ChildProcess[] = [];
for (const p of PROCESSES) {
  // Processes were just migrated above; skip the per-process migration race at start.
  const child = spawn(tsx[0], [...tsx.slice(1), p.entry, ...process.argv.slice(2)], {
    env: { ...process.env, DATABASE_MIGRATE_ON_START: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${p.name}] `;
  const relay = (out: NodeJS.WriteStream) => (d: Buffer) => {
    out.write(d.toString().replace(/^(?=.)/gm, prefix));
  };
  child.stdout.on('data', relay(process.stdout));
  child.stderr.on('data', relay(process.stderr));
  child.on('exit', (code) => {
    process.stderr.write(`${prefix}exited with ${String(code)}\n`);
  });
  children.push(child);
}
process.stdout.write(
  `\nMuckWatch is starting: console at http://${config.console.host}:${config.console.port}/ ` +
    `(health: /api/health), JT/T 808 on :${config.gps.jt808Port}. Ctrl-C stops.\n\n`,
);

let stopping = false;
const stopAll = (): void => {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    process.exit(0);
  }, 10_000).unref();
  const exited = children.map(
    (c) =>
      new Promise((res) => {
        if (c.exitCode !== null) res(0);
        else c.on('exit', res);
      }),
  );
  void Promise.all(exited).then(() => {
    process.exit(0);
  });
};
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

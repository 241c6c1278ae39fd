/**
 * `npm run services`: make PostgreSQL+PostGIS, Redis and ffmpeg reachable.
 * Uses DATABASE_URL / REDIS_URL when they answer; otherwise, on Debian/Ubuntu, installs what is
 * missing and starts project-local servers under .data/ on free ports (URLs written to
 * .data/services.env, which every process reads). Idempotent; prints what it found and did.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { SERVICES_ENV_FILE, loadConfig, readEnvFile } from '../core/index.js';

const DATA = resolve('.data');
const say = (msg: string): void => {
  process.stdout.write(`services: ${msg}\n`);
};
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const hasApt = has('apt-get') && process.getuid?.() === 0;
let aptUpdated = false;

function aptInstall(pkgs: string[], why: string): void {
  if (!hasApt) {
    throw new Error(
      `${why}: install ${pkgs.join(' ')} with your package manager` +
        ' (or set DATABASE_URL / REDIS_URL to servers you run), then run `npm run services` again.',
    );
  }
  if (!aptUpdated) {
    say('apt-get update');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    aptUpdated = true;
  }
  say(`installing ${pkgs.join(' ')} (${why})`);
  execFileSync('apt-get', ['install', '-y', '-qq', ...pkgs], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function freePort(from: number): Promise<number> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', () => {
      done(freePort(from + 1));
    });
    srv.listen(from, '127.0.0.1', () => {
      srv.close(() => {
        done(from);
      });
    });
  });
}

async function pgAnswers(url: string): Promise<{ ok: true; version: number } | { ok: false; error: string }> {
  const u = new URL(url);
  u.pathname = '/postgres';
  const client = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const r = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    return { ok: true, version: Math.floor(Number(r.rows[0]?.v ?? '0') / 10000) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

function pgBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  const v = versions.find((x) => existsSync(`${root}/${x}/bin/initdb`));
  return v ? `${root}/${v}/bin` : undefined;
}

/** initdb/pg_ctl refuse to run as root: run them as the `postgres` system user then. */
function asPostgres(cmd: string, args: string[]): void {
  const isRoot = process.getuid?.() === 0;
  const [bin, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  execFileSync(bin, argv, { stdio: 'inherit' });
}

async function startLocalPostgres(): Promise<string> {
  let bin = pgBinDir();
  if (!bin) aptInstall(['postgresql', 'postgis'], 'no PostgreSQL server found');
  bin = pgBinDir();
  if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql after install');
  const dir = `${DATA}/pg`;
  const port = await freePort(54329);
  mkdirSync(DATA, { recursive: true });
  if (!existsSync(`${dir}/PG_VERSION`)) {
    mkdirSync(dir, { recursive: true });
    if (process.getuid?.() === 0) {
      const ids = execFileSync('id', ['-u', 'postgres']).toString().trim();
      const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
      chownSync(dir, Number(ids), Number(gid));
    }
    say(`initdb ${dir}`);
    asPostgres(`${bin}/initdb`, ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  }
  say(`starting PostgreSQL on 127.0.0.1:${port}`);
  asPostgres(`${bin}/pg_ctl`, [
    '-D',
    dir,
    '-w',
    '-l',
    `${dir}/server.log`,
    '-o',
    `-p ${port} -k /tmp -c listen_addresses=127.0.0.1`,
    'start',
  ]);
  return `postgres://postgres@127.0.0.1:${port}/muckwatch`;
}

async function startLocalRedis(): Promise<string> {
  if (!has('redis-server')) aptInstall(['redis-server'], 'no Redis server found');
  const port = await freePort(63790);
  const dir = `${DATA}/redis`;
  mkdirSync(dir, { recursive: true });
  say(`starting Redis on 127.0.0.1:${port}`);
  execFileSync('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--daemonize',
    'yes',
    '--save',
    '',
    '--appendonly',
    'no',
    '--logfile',
    `${dir}/redis.log`,
    '--pidfile',
    `${dir}/redis.pid`,
  ]);
  return `redis://127.0.0.1:${port}`;
}

async function ensureDatabaseAndPostgis(url: string, serverMajor: number): Promise<void> {
  const u = new URL(url);
  const dbName = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres';
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  try {
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (exists.rowCount === 0) {
      say(`creating database ${dbName}`);
      await c.query(`CREATE DATABASE "${dbName.replace(/"/g, '""')}"`);
    }
    const avail = await c.query("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'");
    if (avail.rowCount === 0) {
      const local = ['127.0.0.1', 'localhost', '::1', ''].includes(u.hostname);
      if (!local) throw new Error(`PostGIS is not installed on ${u.hostname}; install postgis there`);
      aptInstall([`postgresql-${serverMajor}-postgis-3`], `PostgreSQL ${serverMajor} lacks PostGIS`);
    }
  } finally {
    await c.end();
  }
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public');
    const v = await db.query<{ v: string }>('SELECT postgis_lib_version() AS v');
    say(`PostgreSQL ${serverMajor} at ${u.host}, database ${dbName}, PostGIS ${v.rows[0]?.v ?? '?'}: ok`);
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const written = readEnvFile(SERVICES_ENV_FILE);
  const userSet = { db: Boolean(process.env.DATABASE_URL), redis: Boolean(process.env.REDIS_URL) };
  const config = loadConfig({ env: { ...written, ...process.env } });
  const localEnv: Record<string, string> = { ...written };

  let dbUrl = config.database.url;
  let probe = await pgAnswers(dbUrl);
  if (!probe.ok) {
    if (userSet.db)
      throw new Error(
        `DATABASE_URL does not answer (${probe.error}); fix it or unset it to use a local server`,
      );
    say(`no PostgreSQL at ${new URL(dbUrl).host} (${probe.error})`);
    dbUrl = await startLocalPostgres();
    localEnv.DATABASE_URL = dbUrl;
    probe = await pgAnswers(dbUrl);
    if (!probe.ok) throw new Error(`local PostgreSQL did not answer: ${probe.error}`);
  }
  await ensureDatabaseAndPostgis(dbUrl, probe.version);

  let redisUrl = config.redis.url;
  if (!(await redisAnswers(redisUrl))) {
    if (userSet.redis) throw new Error('REDIS_URL does not answer; fix it or unset it to use a local server');
    say(`no Redis at ${redisUrl}`);
    redisUrl = await startLocalRedis();
    localEnv.REDIS_URL = redisUrl;
    if (!(await redisAnswers(redisUrl))) throw new Error('local Redis did not answer');
  }
  say(`Redis at ${redisUrl}: ok`);

  if (!has(config.paths.ffmpeg)) aptInstall(['ffmpeg'], 'ffmpeg not found');
  const ff = execFileSync(config.paths.ffmpeg, ['-version']).toString().split('\n')[0] ?? '';
  say(`${ff.split(' Copyright')[0] ?? ff}: ok`);

  if (Object.keys(localEnv).length > 0) {
    mkdirSync(DATA, { recursive: true });
    writeFileSync(
      SERVICES_ENV_FILE,
      `# written by npm run services: project-local servers\n${Object.entries(localEnv)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
    );
    say(`wrote ${SERVICES_ENV_FILE}`);
  }
  say(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  process.stderr.write(`services: ${(err as Error).message}\n`);
  process.exit(1);
});

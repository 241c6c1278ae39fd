import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../core/testing/services.js';
import { PROCESSES } from '../core/index.js';
import { freePort } from '../core/testing/processes.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Start a process entry point for real (tsx), optionally until a line appears on stdout; then
 * `whileUp` runs against the live process before it is sent SIGTERM.
 */
function runEntry(
  entry: string,
  env: Record<string, string>,
  args: string[] = [],
  until?: RegExp,
  whileUp: () => Promise<void> = () => Promise.resolve(),
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
    });
    let stdout = '';
    let stderr = '';
    let seen = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!seen && until?.test(stdout)) {
        seen = true;
        void whileUp().finally(() => child.kill('SIGTERM'));
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('process entry points', () => {
  let db: TestDatabase;
  let r: TestRedis;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    r = createTestRedis();
  });
  afterAll(async () => {
    await db.cleanup();
    await r.cleanup();
  });

  it('exit non-zero naming DATABASE_URL and the fix when the database is unreachable', async () => {
    const run = await runEntry('bin/rules-worker.ts', {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/muckwatch',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('MW_DB_UNREACHABLE');
    expect(run.stderr).toContain('DATABASE_URL=');
    expect(run.stderr).toContain('npm run services');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exit non-zero naming every bad key of a malformed environment', async () => {
    const run = await runEntry('bin/console.ts', { DATABASE_URL: 'mysql://nope', CONSOLE_PORT: 'eighty' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('MW_CONFIG_INVALID');
    expect(run.stderr).toContain('DATABASE_URL');
    expect(run.stderr).toContain('CONSOLE_PORT');
  });

  it('exit non-zero naming the line of a malformed config file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mw-')), 'muckwatch.yaml');
    writeFileSync(file, 'console:\n  port: 8080\n   host: bad-indent\n');
    const run = await runEntry('bin/pipeline.ts', {}, ['--config', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('MW_CONFIG_FILE_MALFORMED');
    expect(run.stderr).toMatch(/at line 2\b/);
  });

  // A metric each process must expose besides the Node.js defaults.
  const own: Record<string, RegExp> = {
    console: /^# TYPE muckwatch_http_requests_total counter/m,
    'gps-gateway': /^muckwatch_gps_connections_open\{[^}]*process="gps-gateway"[^}]*\} 0$/m,
    pipeline: /^muckwatch_cameras_held\{[^}]*\} 0$/m,
    'rules-worker': /^muckwatch_queue_depth\{queue="gps-points",state="waiting"[^}]*\} 0$/m,
  };

  it.each(PROCESSES.map((p) => [p.name, p.entry] as const))(
    '%s starts against real services, migrates, serves /health and /metrics, and stops cleanly on SIGTERM',
    async (name, entry) => {
      const opsPort = await freePort();
      const scraped: { health?: unknown; healthStatus?: number; metrics?: string } = {};
      const run = await runEntry(
        entry,
        {
          DATABASE_SCHEMA: db.schema,
          REDIS_PREFIX: r.ctx.prefix,
          CONSOLE_PORT: '0',
          GPS_JT808_PORT: '0',
          GPS_HTTP_PORT: '0',
          NODE_ID: `test-${name}`,
          OPS_PORT: String(opsPort),
        },
        [],
        /"msg":"ready"/,
        async () => {
          const h = await fetch(`http://127.0.0.1:${opsPort}/health`);
          scraped.healthStatus = h.status;
          scraped.health = await h.json();
          scraped.metrics = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
        },
      );
      expect(run.stderr).toBe('');
      expect(scraped.healthStatus).toBe(200);
      expect(scraped.health).toMatchObject({
        status: 'ok',
        process: name,
        checks: { database: { ok: true }, redis: { ok: true } },
      });
      expect(scraped.metrics).toMatch(/^process_resident_memory_bytes\{/m);
      expect(scraped.metrics).toMatch(own[name] ?? /never/);
      expect(run.stdout).toContain('"msg":"database migrated"');
      expect(run.stdout).toContain('"msg":"stopping"');
      expect(run.code).toBe(0);
    },
  );
});

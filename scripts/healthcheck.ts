/**
 * `tsx scripts/healthcheck.ts PROCESS`: exit 0 when PROCESS on this host answers 200 on its
 * operations endpoint's /health (its database and Redis reachable, its own checks passing);
 * prints the failing checks otherwise. Used by docker-compose healthchecks.
 */
import { PROCESSES, loadProcessConfig, opsPortOf, type ProcessName } from '../core/index.js';

const name = process.argv[2] as ProcessName;
if (!PROCESSES.some((p) => p.name === name)) {
  process.stdout.write(`usage: healthcheck.ts ${PROCESSES.map((p) => p.name).join('|')}\n`);
  process.exit(2);
}
const config = loadProcessConfig([]);
const host = config.ops.host === '0.0.0.0' ? '127.0.0.1' : config.ops.host;
const url = `http://${host}:${opsPortOf(config, name)}/health`;
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
  const body = (await res.json()) as { checks?: Record<string, { ok: boolean; error?: string }> };
  const failing = Object.entries(body.checks ?? {}).filter(([, c]) => !c.ok);
  process.stdout.write(
    res.ok
      ? `${name} healthy\n`
      : `${name} failing: ${failing.map(([k, c]) => `${k}: ${c.error ?? '?'}`).join('; ')}\n`,
  );
  process.exitCode = res.ok ? 0 : 1;
} catch (err) {
  process.stdout.write(`${url}: ${(err as Error).message}\n`);
  process.exitCode = 1;
}

/**
 * `npm run replay -- --from ISO --to ISO [--out FILE] [--compare] [--write] [--config FILE]`
 *
 * Replays stored GPS points and camera findings through the rules and prints the incidents as
 * canonical JSON lines (sorted keys, one per dedupe key) — the form in which a replay and the live
 * run are compared byte for byte. --compare diffs them against the incidents table (exit 1 when
 * they differ); --write upserts them (idempotent: existing incidents are merged, never duplicated).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createPool, isMuckError, loadProcessConfig, MuckError } from '../core/index.js';
import { canonicalIncident, type IncidentDraft } from './incidents.js';
import { paramsFromConfig } from './params.js';
import { loadIncidents, loadSla, upsertIncident } from './pg/incident-repo.js';
import { loadWorld } from './pg/world-load.js';
import { diffCanonical, progressBar, replayPeriod } from './replay.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      compare: { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      config: { type: 'string' },
    },
  });
  const from = new Date(values.from ?? '');
  const to = new Date(values.to ?? '');
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from) {
    throw new MuckError('MW_VALIDATION', 'Give the period as --from ISO --to ISO (to after from)');
  }
  const config = loadProcessConfig(values.config ? ['--config', values.config] : []);
  const pool = createPool(config.database);
  try {
    const { world } = await loadWorld(pool, paramsFromConfig(config.rules));
    const started = performance.now();
    let lastDraw = 0;
    const result = await replayPeriod(pool, world, {
      from,
      to,
      onProgress: (done, total) => {
        const now = performance.now();
        if (values.quiet || (now - lastDraw < 200 && done < total)) return;
        lastDraw = now;
        process.stderr.write(`\r${progressBar(done, total, (now - started) / 1000)}`);
      },
    });
    if (!values.quiet) process.stderr.write('\n');
    const inPeriod = (d: IncidentDraft): boolean =>
      d.startedAt >= from.getTime() && d.startedAt < to.getTime();
    const lines = result.incidents.filter(inPeriod).map(canonicalIncident);
    const text = lines.map((l) => `${l}\n`).join('');
    if (values.out) writeFileSync(values.out, text);
    else if (!values.compare && !values.write) process.stdout.write(text);
    process.stderr.write(
      `replayed ${result.points} points in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
        `${lines.length} incidents (late ${result.stats.late}, duplicates ${result.stats.duplicates})\n`,
    );
    if (values.write) {
      const sla = await loadSla(pool);
      for (const d of result.incidents.filter(inPeriod)) await upsertIncident(pool, d, sla);
    }
    if (values.compare) {
      const stored = (await loadIncidents(pool, from, to)).map(canonicalIncident);
      const diff = diffCanonical(lines, stored);
      if (diff.length > 0) {
        process.stderr.write(
          `${diff.length} difference(s) between replay and stored incidents:\n${diff.slice(0, 20).join('\n')}\n`,
        );
        return 1;
      }
      process.stderr.write(`identical: ${lines.length} incidents, byte for byte\n`);
    }
    return 0;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `replay: ${isMuckError(err) ? err.format() : String((err as Error).stack ?? err)}\n`,
    );
    process.exit(2);
  },
);

/** `npm run bench` runs every benchmark in bench/*.bench.ts; `npm run bench -- NAME` runs one. */
import { readdirSync } from 'node:fs';
import { machineDescription, record, type Benchmark } from './record.js';

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync('bench').filter((f) => f.endsWith('.bench.ts'));
const names = files.map((f) => f.replace(/\.bench\.ts$/, ''));
const unknown = wanted.filter((w) => !names.includes(w));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark(s): ${unknown.join(', ')}; available: ${names.join(', ') || 'none'}\n`,
  );
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : names) {
  const mod = (await import(`./${name}.bench.ts`)) as { default: Benchmark };
  process.stdout.write(`bench ${name}: running…\n`);
  const r = await mod.default.run();
  const result = {
    name,
    ...r,
    ratio: r.baseline ? r.value / r.baseline : null,
    machine: machineDescription(),
    date: new Date().toISOString().slice(0, 10),
  };
  record(result);
  process.stdout.write(`bench ${name}: ${JSON.stringify(result)}\n`);
}

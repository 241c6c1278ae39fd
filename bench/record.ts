import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** One benchmark result, as stored in bench/results/NAME.json and as a row of BENCHMARKS.md. */
export interface BenchResult {
  readonly name: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  /** The same metric for the baseline named by the issue, measured in the same run (null if none). */
  readonly baseline: number | null;
  /** value / baseline (null without a baseline). */
  readonly ratio: number | null;
  readonly target: string;
  readonly machine: string;
  readonly date: string;
}

export interface Benchmark {
  readonly name: string;
  run(): Promise<Omit<BenchResult, 'name' | 'machine' | 'date' | 'ratio'>>;
}

export function machineDescription(): string {
  const cpu = cpus();
  return `${String(cpu.length)}× ${cpu[0]?.model.trim() ?? 'cpu'}, ${String(Math.round(totalmem() / 2 ** 30))} GiB, node ${process.version}`;
}

const HEADER = [
  '# Benchmarks',
  '',
  'Each row is the latest `npm run bench -- NAME`; the JSON in `bench/results/NAME.json` holds the same numbers.',
  'Ratio = value / baseline, both measured in the same run.',
  '',
  '| name | metric | value | unit | baseline | ratio | target | machine | date |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];

const fmt = (n: number | null): string =>
  n === null ? '—' : Number.isInteger(n) ? String(n) : n.toPrecision(4);

export function resultRow(r: BenchResult): string {
  return `| ${r.name} | ${r.metric} | ${fmt(r.value)} | ${r.unit} | ${fmt(r.baseline)} | ${fmt(r.ratio)} | ${r.target} | ${r.machine} | ${r.date} |`;
}

/** Replace (or add) this benchmark's row, keeping rows sorted by name. */
export function upsertRow(markdown: string | null, r: BenchResult): string {
  const lines = markdown?.split('\n') ?? [];
  const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| name |') && !l.startsWith('| ---'));
  const others = rows.filter((l) => !l.startsWith(`| ${r.name} |`));
  return [...HEADER, ...[...others, resultRow(r)].sort()].join('\n') + '\n';
}

export function record(r: BenchResult, dir = 'bench/results', md = 'BENCHMARKS.md'): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${r.name}.json`, JSON.stringify(r, null, 2) + '\n');
  writeFileSync(md, upsertRow(existsSync(md) ? readFileSync(md, 'utf8') : null, r));
}

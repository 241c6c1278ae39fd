import { describe, expect, it } from 'vitest';
import { upsertRow, type BenchResult } from './record.js';

const r = (name: string, value: number): BenchResult => ({
  name,
  metric: 'throughput',
  value,
  unit: 'points/s',
  baseline: 100,
  ratio: value / 100,
  target: '≥ 2×',
  machine: 'test',
  date: '2026-11-27',
});

describe('BENCHMARKS.md rows', () => {
  it('adds, replaces and sorts rows by name', () => {
    let md = upsertRow(null, r('b', 200));
    md = upsertRow(md, r('a', 300));
    md = upsertRow(md, r('b', 250));
    const rows = md.split('\n').filter((l) => /^\| [ab] \|/.test(l));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^\| a \| throughput \| 300 /);
    expect(rows[1]).toMatch(/^\| b \| throughput \| 250 \| points\/s \| 100 \| 2\.500 /);
  });
});

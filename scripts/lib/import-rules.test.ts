import { describe, expect, it } from 'vitest';
import { checkImports, findCycles } from './import-rules.js';

const g = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

describe('import rules', () => {
  it('accepts imports through another folder index and within a folder', () => {
    expect(
      checkImports(g({ 'rules/trips.ts': ['core/index.ts', 'rules/zones.ts'], 'rules/zones.ts': [] })),
    ).toEqual([]);
  });

  it('rejects reaching into another folder internals', () => {
    const p = checkImports(g({ 'rules/trips.ts': ['core/db/pool.ts'] }));
    expect(p[0]).toMatch(/core\/index\.js instead/);
  });

  it('rejects a dependency the layout does not allow', () => {
    const p = checkImports(g({ 'rules/link.ts': ['inference/index.ts'] }));
    expect(p.join()).toMatch(/rules may depend on core only/);
    expect(checkImports(g({ 'core/x.ts': ['rules/index.ts'] })).join()).toMatch(/core may depend on nothing/);
  });

  it('lets wiring folders and tests import any stage index, and keeps core/testing for tests', () => {
    expect(checkImports(g({ 'bin/pipeline.ts': ['ingest/index.ts', 'inference/index.ts'] }))).toEqual([]);
    expect(checkImports(g({ 'rules/a.int.test.ts': ['core/testing/services.ts'] }))).toEqual([]);
    expect(checkImports(g({ 'rules/a.ts': ['core/testing/services.ts'] })).join()).toMatch(/tests only/);
  });

  it('finds cycles, including across folders', () => {
    expect(findCycles(g({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }))).toEqual([['a', 'b', 'c']]);
    expect(findCycles(g({ a: ['a'] }))).toEqual([['a']]);
    expect(findCycles(g({ a: ['b'], b: [] }))).toEqual([]);
    expect(checkImports(g({ 'core/a.ts': ['core/b.ts'], 'core/b.ts': ['core/a.ts'] })).join()).toMatch(
      /import cycle/,
    );
  });
});

/**
 * The import rules of the layout, as pure functions over a module graph:
 * - a file may import another top-level folder only through that folder's index.ts;
 * - each folder may depend only on the folders ALLOWED lists (core depends on nothing);
 * - `core/testing/` is for test files only;
 * - no import cycles.
 */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  fixtures: ['core'],
  models: ['core'],
  ingest: ['core'],
  inference: ['core', 'models', 'rules'],
  rules: ['core'],
  console: ['core', 'rules'],
};
/** Wiring and tooling folders may import any stage (still only through its index). */
export const ANY = ['bin', 'scripts', 'bench'];

export type Graph = ReadonlyMap<string, readonly string[]>;

const topOf = (file: string): string => file.split('/')[0] ?? file;
const isTest = (file: string): boolean => /\.(int\.)?test\.ts$/.test(file);

export function checkImports(graph: Graph): string[] {
  const problems: string[] = [];
  for (const [from, targets] of graph) {
    const fromTop = topOf(from);
    for (const to of targets) {
      const toTop = topOf(to);
      if (to.startsWith('core/testing/')) {
        if (!isTest(from) && !from.startsWith('core/testing/')) {
          problems.push(`${from} imports ${to}: core/testing is for tests only`);
        }
        continue;
      }
      if (toTop === fromTop || !(toTop in ALLOWED)) continue;
      if (to !== `${toTop}/index.ts`) {
        problems.push(`${from} imports ${to}: import ${toTop}/index.js instead (another folder's internals)`);
      }
      const allowed = ANY.includes(fromTop) || isTest(from) || (ALLOWED[fromTop] ?? []).includes(toTop);
      if (!allowed) {
        problems.push(
          `${from} imports ${toTop}: ${fromTop} may depend on ${(ALLOWED[fromTop] ?? []).join(', ') || 'nothing'} only`,
        );
      }
    }
  }
  for (const cycle of findCycles(graph)) problems.push(`import cycle: ${[...cycle, cycle[0]].join(' → ')}`);
  return problems;
}

/** Strongly connected components with more than one file (or a self-import): Tarjan's algorithm. */
export function findCycles(graph: Graph): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];

  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.reverse());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

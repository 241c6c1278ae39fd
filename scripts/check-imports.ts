/** `npm run lint` step: enforce the layout's import rules over every TypeScript file. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';
import { checkImports } from './lib/import-rules.js';

const ROOTS = [
  'core',
  'bin',
  'scripts',
  'bench',
  'ingest',
  'inference',
  'models',
  'rules',
  'console',
  'fixtures',
];
const SKIP = new Set(['node_modules', 'dist', '.data', 'train']);

function walk(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    if (SKIP.has(e)) return [];
    const p = join(dir, e);
    if (statSync(p).isDirectory()) return walk(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

const files = ROOTS.flatMap(walk).map((f) => relative('.', f));
const graph = new Map<string, string[]>();
for (const file of files) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets = importedFiles
    .map((i) => i.fileName)
    .filter((s) => s.startsWith('.'))
    .map((s) => normalize(join(dirname(file), s)).replace(/\.js$/, '.ts'));
  graph.set(file, targets);
}
const problems = checkImports(graph);
if (problems.length > 0) {
  process.stderr.write(
    `${problems.length} import rule violation(s):\n${problems.map((p) => `  ${p}`).join('\n')}\n`,
  );
  process.exit(1);
}
process.stdout.write(`imports: ${files.length} files, no boundary violations, no cycles\n`);

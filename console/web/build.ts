import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

export interface WebBundle {
  readonly html: string;
  readonly js: string;
  readonly css: string;
}

let cached: Promise<WebBundle> | null = null;

/** Bundle the browser code (TypeScript, no framework) once per process. */
export function bundleWeb(): Promise<WebBundle> {
  cached ??= (async () => {
    const out = await build({
      entryPoints: [join(here, 'src', 'main.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      target: 'chrome110',
      minify: true,
      sourcemap: false,
      outdir: 'out',
      logLevel: 'silent',
    });
    const js = out.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
    const css = await readFile(join(here, 'src', 'app.css'), 'utf8');
    const html = await readFile(join(here, 'index.html'), 'utf8');
    return { html, js, css };
  })();
  cached.catch(() => {
    cached = null; // a failed build is retried on the next request
  });
  return cached;
}

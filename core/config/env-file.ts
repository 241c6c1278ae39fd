import { existsSync, readFileSync } from 'node:fs';

/** Written by `npm run services` when it starts project-local PostgreSQL/Redis on free ports. */
export const SERVICES_ENV_FILE = '.data/services.env';

/** Parse KEY=VALUE lines (comments and blank lines ignored; optional quotes stripped). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    out[m[1] as string] = (m[2] as string).replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

export function readEnvFile(path: string): Record<string, string> {
  return existsSync(path) ? parseEnvFile(readFileSync(path, 'utf8')) : {};
}

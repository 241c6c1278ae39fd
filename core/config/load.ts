import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { MuckError } from '../errors.js';
import { SERVICES_ENV_FILE, readEnvFile } from './env-file.js';
import { SETTINGS } from './settings.js';
import { SETTINGS_BY_KEY, describeKind, settingSchema } from './schema.js';
import type { Config } from './types.js';

export interface ConfigSources {
  /** Environment variables (normally process.env). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Path of a YAML/JSON file; `MUCKWATCH_CONFIG` in env is used when absent. */
  readonly file?: string;
}

type Source = 'default' | 'file' | 'env';

function getPath(obj: unknown, key: string): unknown {
  let cur: unknown = obj;
  for (const part of key.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    cur[part] ??= {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1] as string] = value;
}

/** Keys present in a config file that no setting knows: a typo would otherwise be silently ignored. */
function unknownFileKeys(obj: unknown, prefix = ''): string[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (SETTINGS_BY_KEY.has(path)) continue;
    const isBranch = SETTINGS.some((s) => s.key.startsWith(`${path}.`));
    if (isBranch && v !== null && typeof v === 'object') out.push(...unknownFileKeys(v, path));
    else out.push(path);
  }
  return out;
}

function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new MuckError(
      'MW_CONFIG_FILE_UNREADABLE',
      `Cannot read config file ${path}: ${(err as Error).message}. Fix MUCKWATCH_CONFIG / --config or create the file.`,
    );
  }
  try {
    return parseYaml(text) ?? {};
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
    throw new MuckError(
      'MW_CONFIG_FILE_MALFORMED',
      `Config file ${path} is not valid YAML/JSON${where}: ${(err as Error).message.split('\n')[0] ?? ''}`,
    );
  }
}

function redact(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/**
 * Parse the configuration once, from defaults < file < environment. Throws one MuckError
 * listing every bad key with what was expected; returns a deeply frozen Config.
 */
export function loadConfig(sources: ConfigSources): Config {
  const filePath = sources.file ?? sources.env.MUCKWATCH_CONFIG;
  const fileData = filePath ? readConfigFile(filePath) : {};
  const problems: string[] = unknownFileKeys(fileData).map(
    (k) => `${k} (in ${filePath ?? 'file'}): unknown setting; see README "Configuration"`,
  );
  const out: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const envRaw = sources.env[setting.env];
    const fileRaw = getPath(fileData, setting.key);
    const [raw, source]: [unknown, Source] =
      envRaw !== undefined && envRaw !== ''
        ? [envRaw, 'env']
        : fileRaw !== undefined
          ? [fileRaw, 'file']
          : [setting.default, 'default'];
    const parsed = settingSchema(setting).safeParse(raw);
    if (parsed.success) {
      setPath(out, setting.key, parsed.data);
    } else {
      const where = source === 'env' ? `env ${setting.env}` : `${setting.key} in ${filePath ?? 'file'}`;
      problems.push(
        `${setting.env} / ${setting.key} (from ${where}) = ${redact(raw)}: expected ${describeKind(setting.kind)}` +
          ` — ${setting.description}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new MuckError(
      'MW_CONFIG_INVALID',
      `${problems.length} configuration value(s) are invalid. Fix them and start again:`,
      problems,
    );
  }
  const node = out.node as { id: string };
  if (node.id === '') node.id = hostname();
  return deepFreeze(out) as unknown as Config;
}

function deepFreeze<T>(obj: T): T {
  if (obj !== null && typeof obj === 'object') {
    for (const v of Object.values(obj)) deepFreeze(v);
    Object.freeze(obj);
  }
  return obj;
}

/**
 * Read configuration for a process: the environment (over the URLs `npm run services` wrote, if
 * it started local services) plus an optional `--config <file>` argument.
 */
export function loadProcessConfig(argv: readonly string[] = process.argv.slice(2)): Config {
  const env = { ...readEnvFile(SERVICES_ENV_FILE), ...process.env };
  const i = argv.indexOf('--config');
  const file = i >= 0 ? argv[i + 1] : undefined;
  return loadConfig(file ? { env, file } : { env });
}

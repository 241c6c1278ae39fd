import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MuckError } from '../errors.js';
import { loadConfig } from './load.js';
import { configReferenceMarkdown, withConfigReference } from './reference.js';
import { SETTINGS } from './settings.js';

const tmpFile = (name: string, text: string): string => {
  const p = join(mkdtempSync(join(tmpdir(), 'mwcfg-')), name);
  writeFileSync(p, text);
  return p;
};

function errorOf(fn: () => unknown): MuckError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MuckError) return err;
    throw err;
  }
  throw new Error('expected a MuckError');
}

describe('loadConfig', () => {
  it('gives every setting its default when nothing is set', () => {
    const c = loadConfig({ env: {} });
    expect(c.database.url).toBe('postgres://postgres@127.0.0.1:5432/muckwatch');
    expect(c.console.port).toBe(8080);
    expect(c.database.migrateOnStart).toBe(true);
    expect(c.node.id.length).toBeGreaterThan(0);
  });

  it('layers environment over file over defaults, coercing env strings', () => {
    const file = tmpFile('c.yaml', 'console:\n  port: 9000\n  host: 0.0.0.0\nlog:\n  level: debug\n');
    const c = loadConfig({ env: { CONSOLE_PORT: '9100', DATABASE_MIGRATE_ON_START: 'false' }, file });
    expect(c.console.port).toBe(9100);
    expect(c.console.host).toBe('0.0.0.0');
    expect(c.log.level).toBe('debug');
    expect(c.database.migrateOnStart).toBe(false);
  });

  it('reads the file named by MUCKWATCH_CONFIG, JSON included', () => {
    const file = tmpFile('c.json', JSON.stringify({ redis: { prefix: 'city1' } }));
    expect(loadConfig({ env: { MUCKWATCH_CONFIG: file } }).redis.prefix).toBe('city1');
  });

  it('lists every bad key at once with what was expected', () => {
    const file = tmpFile('bad.yaml', 'console:\n  port: 70000\nlog:\n  level: loud\n');
    const err = errorOf(() =>
      loadConfig({ env: { DATABASE_URL: 'mysql://x@y/z', GPS_JT808_PORT: 'abc', REDIS_URL: 'nope' }, file }),
    );
    expect(err.code).toBe('MW_CONFIG_INVALID');
    const text = err.format();
    for (const key of ['DATABASE_URL', 'GPS_JT808_PORT', 'REDIS_URL', 'console.port', 'log.level']) {
      expect(text).toContain(key);
    }
    expect(err.details).toHaveLength(5);
    expect(text).toContain('postgres://');
    expect(text).toContain('integer 0–65535');
  });

  it('does not echo a password from a bad URL', () => {
    const err = errorOf(() => loadConfig({ env: { REDIS_URL: 'http://user:s3cret@host:1' } }));
    expect(err.format()).not.toContain('s3cret');
  });

  it('rejects unknown keys in the file (a typo must not be ignored)', () => {
    const file = tmpFile('typo.yaml', 'consol:\n  port: 1\ndatabase:\n  urll: x\n');
    const err = errorOf(() => loadConfig({ env: {}, file }));
    expect(err.details.join('\n')).toMatch(/consol .*unknown/);
    expect(err.details.join('\n')).toMatch(/database\.urll .*unknown/);
  });

  it('names the line of a malformed file', () => {
    const file = tmpFile('broken.yaml', 'console:\n  port: 1\n  host: [unclosed\n');
    const err = errorOf(() => loadConfig({ env: {}, file }));
    expect(err.code).toBe('MW_CONFIG_FILE_MALFORMED');
    expect(err.message).toMatch(/line \d+/);
    expect(err.message).toContain(file);
  });

  it('says which file cannot be read', () => {
    const err = errorOf(() => loadConfig({ env: {}, file: '/nonexistent/muck.yaml' }));
    expect(err.code).toBe('MW_CONFIG_FILE_UNREADABLE');
    expect(err.message).toContain('/nonexistent/muck.yaml');
  });

  it('returns a deeply frozen object', () => {
    const c = loadConfig({ env: {} });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.database)).toBe(true);
  });

  it('has a value at every setting key (the Config type mirrors SETTINGS)', () => {
    const c = loadConfig({ env: {} }) as unknown as Record<string, Record<string, unknown>>;
    for (const s of SETTINGS) {
      const [group, leaf] = s.key.split('.') as [string, string];
      expect(c[group]?.[leaf], s.key).toBeDefined();
    }
  });
});

describe('configuration reference', () => {
  it('has one row per setting', () => {
    const rows = configReferenceMarkdown().split('\n').slice(2);
    expect(rows).toHaveLength(SETTINGS.length);
  });

  it('is up to date in README.md (npm run docs:config regenerates it)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(withConfigReference(readme)).toBe(readme);
  });
});

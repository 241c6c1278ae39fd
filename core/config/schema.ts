import { z } from 'zod';
import { SETTINGS, type Setting, type SettingKind } from './settings.js';

/** Values arrive as strings from the environment and as typed values from YAML/JSON. */
function fromString(kind: SettingKind, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  const s = raw.trim();
  switch (kind.type) {
    case 'int':
    case 'number':
      return s === '' ? raw : Number(s);
    case 'bool':
      if (/^(true|1|yes|on)$/i.test(s)) return true;
      if (/^(false|0|no|off)$/i.test(s)) return false;
      return raw;
    default:
      return s;
  }
}

function leafSchema(kind: SettingKind): z.ZodType {
  switch (kind.type) {
    case 'string':
      return z.string();
    case 'url':
      return z.string().refine(
        (v) => {
          try {
            return kind.protocols.includes(new URL(v).protocol.replace(/:$/, ''));
          } catch {
            return false;
          }
        },
        { error: `a URL starting with ${kind.protocols.map((p) => `${p}://`).join(' or ')}` },
      );
    case 'int':
      return z.number({ error: 'an integer' }).int('an integer').min(kind.min).max(kind.max);
    case 'number':
      return z.number({ error: 'a number' }).min(kind.min).max(kind.max);
    case 'bool':
      return z.boolean({ error: 'true or false' });
    case 'enum':
      return z.enum(kind.values as [string, ...string[]], { error: `one of ${kind.values.join(', ')}` });
  }
}

export function settingSchema(setting: Setting): z.ZodType {
  return z.preprocess((v) => fromString(setting.kind, v), leafSchema(setting.kind));
}

/** Human description of what a setting accepts, for error messages and the reference table. */
export function describeKind(kind: SettingKind): string {
  switch (kind.type) {
    case 'string':
      return 'string';
    case 'url':
      return `URL (${kind.protocols.map((p) => `${p}://`).join(', ')})`;
    case 'int':
      return `integer ${kind.min}–${kind.max}`;
    case 'number':
      return `number ${kind.min}–${kind.max}`;
    case 'bool':
      return 'true / false';
    case 'enum':
      return kind.values.join(' \\| ');
  }
}

export const SETTINGS_BY_KEY: ReadonlyMap<string, Setting> = new Map(SETTINGS.map((s) => [s.key, s]));

import { scheduleProblems, type Schedule } from '../../rules/index.js';

/**
 * Pure: the fleet registry's fields (companies, vehicles, JT/T 808 terminals), each with its text
 * form (CSV cell and API value alike) and how that text is checked. References are by name:
 * a vehicle's company by company name, its approved route by zone code, a terminal's vehicle by plate.
 */
export const FLEET_KINDS = ['companies', 'vehicles', 'terminals'] as const;
export type FleetKind = (typeof FLEET_KINDS)[number];

export type Parsed = { ok: true; value: string | null } | { ok: false; error: string };
const ok = (value: string | null): Parsed => ({ ok: true, value });
const bad = (error: string): Parsed => ({ ok: false, error });

export interface FleetField {
  readonly key: string;
  readonly column: string;
  readonly required?: boolean;
  readonly boolean?: boolean;
  /** Which registry the text names (checked against what exists or comes earlier in the same import). */
  readonly ref?: 'company' | 'route' | 'vehicle';
  readonly check?: (text: string) => Parsed;
}

const text =
  (max: number, pattern?: RegExp, what?: string) =>
  (t: string): Parsed =>
    t.length > max
      ? bad(`longer than ${String(max)} characters`)
      : pattern && !pattern.test(t)
        ? bad(`"${t}" is not ${what ?? 'valid'}`)
        : ok(t);

const TRUE = new Set(['true', 'yes', 'y', '1', '是', '有']);
const FALSE = new Set(['false', 'no', 'n', '0', '否', '无']);
export function parseBool(t: string): Parsed {
  const v = t.trim().toLowerCase();
  if (TRUE.has(v)) return ok('true');
  if (FALSE.has(v)) return ok('false');
  return bad(`"${t}" is not yes/no (true/false, 1/0, 是/否)`);
}

function parseDate(t: string): Parsed {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const d = m ? new Date(`${t}T00:00:00Z`) : null;
  return d && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(t)
    ? ok(t)
    : bad(`"${t}" is not a date (YYYY-MM-DD)`);
}

/** Permitted hours: "22:00-06:00;12:00-13:00" (Asia/Shanghai), or a schedule as JSON. */
export function hoursToSchedule(t: string): Schedule | string {
  if (t.trim().startsWith('{')) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      return 'is not valid JSON';
    }
    const p = scheduleProblems(v);
    return p.length > 0 ? p.join('; ') : (v as Schedule);
  }
  const windows = t.split(/[;；]/).map((w) => w.trim());
  const out: { from: string; to: string }[] = [];
  for (const w of windows) {
    const m = /^(\d{2}:\d{2})\s*[-–~]\s*(\d{2}:\d{2})$/.exec(w);
    if (!m) return `"${w}" is not a time window like 22:00-06:00`;
    out.push({ from: m[1] ?? '', to: m[2] ?? '' });
  }
  const s = { tz: 'Asia/Shanghai', windows: out };
  const p = scheduleProblems(s);
  return p.length > 0 ? `"${t}": ${p.join('; ')}` : s;
}

/** The text form of a stored schedule (what export writes and what a diff compares). */
export function scheduleToHours(s: Schedule | null): string | null {
  if (!s) return null;
  if (s.tz === 'Asia/Shanghai' && s.windows.every((w) => !w.days))
    return s.windows.map((w) => `${w.from}-${w.to}`).join(';');
  return JSON.stringify(s);
}

export const FLEET_FIELDS: Record<FleetKind, readonly FleetField[]> = {
  companies: [
    { key: 'name', column: 'name', required: true, check: text(200) },
    { key: 'licenseNo', column: 'license_no', check: text(100) },
    { key: 'contact', column: 'contact', check: text(200) },
    { key: 'jurisdictionCode', column: 'jurisdiction_code', check: text(64) },
  ],
  vehicles: [
    {
      key: 'plate',
      column: 'plate',
      required: true,
      check: text(16, /^\S{5,16}$/u, 'a plate (5–16 characters, no spaces)'),
    },
    { key: 'company', column: 'company_id', ref: 'company' },
    { key: 'permitNo', column: 'permit_no', check: text(100) },
    { key: 'permitValidFrom', column: 'permit_valid_from', check: parseDate },
    { key: 'permitValidTo', column: 'permit_valid_to', check: parseDate },
    { key: 'approvedRoute', column: 'approved_route_id', ref: 'route' },
    {
      key: 'permittedHours',
      column: 'permitted_hours',
      check: (t) => {
        const s = hoursToSchedule(t);
        return typeof s === 'string' ? bad(s) : ok(scheduleToHours(s));
      },
    },
    { key: 'loadSensor', column: 'load_sensor', boolean: true },
    { key: 'active', column: 'active', boolean: true },
  ],
  terminals: [
    {
      key: 'terminalId',
      column: 'terminal_id',
      required: true,
      check: text(20, /^\d{1,20}$/, 'a terminal number (digits)'),
    },
    { key: 'protocolVersion', column: 'protocol_version', check: text(4, /^(2013|2019)$/, '2013 or 2019') },
    { key: 'vehicle', column: 'vehicle_id', ref: 'vehicle' },
    { key: 'manufacturer', column: 'manufacturer', check: text(100) },
    { key: 'model', column: 'model', check: text(100) },
  ],
};

/** Columns that default when a new row leaves them empty (NOT NULL in the database). */
export const FLEET_DEFAULTS: Record<FleetKind, Readonly<Record<string, string>>> = {
  companies: {},
  vehicles: { loadSensor: 'false', active: 'true' },
  terminals: { protocolVersion: '2013' },
};

export const keyOf = (kind: FleetKind): string => (FLEET_FIELDS[kind][0] as FleetField).key;

/** Header cell → field key: `plate`, `Plate`, `permit_valid_to`, `permitValidTo` all match. */
export function fieldForHeader(kind: FleetKind, header: string): FleetField | undefined {
  const norm = header
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  return FLEET_FIELDS[kind].find((f) => f.key.toLowerCase() === norm);
}

/** Check one cell: empty is null (allowed unless required). */
export function parseCell(f: FleetField, raw: string): Parsed {
  const t = raw.trim();
  if (t === '') return f.required ? bad('is required') : ok(null);
  if (f.boolean) return parseBool(t);
  return f.check ? f.check(t) : ok(t);
}

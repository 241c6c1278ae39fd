import { parseCsv } from './csv.js';
import { changedFields } from './changes.js';
import {
  FLEET_DEFAULTS,
  FLEET_FIELDS,
  fieldForHeader,
  keyOf,
  parseCell,
  type FleetField,
  type FleetKind,
} from './fleet-spec.js';

/**
 * Pure: what an import (CSV, or one row from the API) would do to the registry: per row, create,
 * update (which fields, before → after) or unchanged, and every error with its line. Nothing is
 * written unless every row is clean.
 */
export type FleetRecord = Readonly<Record<string, string | null>>;

export interface ExistingRow {
  readonly id: number;
  readonly record: FleetRecord;
}

export interface FleetRefs {
  readonly companies: ReadonlySet<string>;
  readonly routes: ReadonlySet<string>;
  readonly vehicles: ReadonlySet<string>;
  /** plate → the terminal number bound to it (a vehicle carries one terminal). */
  readonly terminalOfVehicle: ReadonlyMap<string, string>;
}

export type RowAction = 'create' | 'update' | 'unchanged';

export interface RowReport {
  readonly line: number;
  readonly key: string | null;
  readonly action: RowAction | null;
  readonly changes: Record<string, { before: unknown; after: unknown }>;
  readonly errors: readonly string[];
}

export interface RowWrite {
  readonly key: string;
  readonly id: number | null;
  /** Text form of the fields to write (new rows: every field, defaults filled in). */
  readonly values: FleetRecord;
  readonly before: FleetRecord | null;
}

export interface FleetPlan {
  readonly reports: readonly RowReport[];
  readonly writes: readonly RowWrite[];
  /** "line 4 (plate 京A1): …": every problem, in order. */
  readonly errors: readonly string[];
}

export interface InputRow {
  readonly line: number;
  /** Field key → raw text; absent fields keep their stored value. */
  readonly cells: Readonly<Record<string, string>>;
}

const REF_NAMES = { company: 'company', route: 'approved route (zone code)', vehicle: 'vehicle (plate)' };

export function planFleetRows(
  kind: FleetKind,
  rows: readonly InputRow[],
  existing: ReadonlyMap<string, ExistingRow>,
  refs: FleetRefs,
): FleetPlan {
  const keyField = keyOf(kind);
  const seen = new Map<string, number>();
  const boundInFile = new Map<string, string>();
  const reports: RowReport[] = [];
  const writes: RowWrite[] = [];
  const errors: string[] = [];
  for (const row of rows) {
    const mine: string[] = [];
    const parsed: Record<string, string | null> = {};
    for (const [k, raw] of Object.entries(row.cells)) {
      const f = FLEET_FIELDS[kind].find((x) => x.key === k) as FleetField;
      const p = parseCell(f, raw);
      if (p.ok) parsed[k] = p.value;
      else mine.push(`${k} ${p.error}`);
    }
    const key = parsed[keyField] ?? null;
    if (key !== null) {
      const first = seen.get(key);
      if (first !== undefined) mine.push(`${keyField} ${key} is already on line ${String(first)}`);
      else seen.set(key, row.line);
    }
    const old = key === null ? undefined : existing.get(key);
    const merged: Record<string, string | null> = old
      ? { ...old.record, ...parsed }
      : {
          ...Object.fromEntries(FLEET_FIELDS[kind].map((f) => [f.key, null])),
          ...FLEET_DEFAULTS[kind],
          ...parsed,
        };
    for (const f of FLEET_FIELDS[kind]) {
      const v = merged[f.key];
      if (!f.ref || v === null || v === undefined || !(f.key in parsed)) continue;
      const known = f.ref === 'company' ? refs.companies : f.ref === 'route' ? refs.routes : refs.vehicles;
      if (!known.has(v)) mine.push(`${f.key}: no ${REF_NAMES[f.ref]} "${v}" in the registry`);
    }
    const from = merged.permitValidFrom;
    const to = merged.permitValidTo;
    if (from && to && to < from) mine.push(`permitValidTo ${to} is before permitValidFrom ${from}`);
    const vehicle = merged.vehicle;
    if (kind === 'terminals' && vehicle && key !== null && 'vehicle' in parsed) {
      const boundTo = boundInFile.get(vehicle) ?? refs.terminalOfVehicle.get(vehicle);
      if (boundTo !== undefined && boundTo !== key)
        mine.push(`vehicle ${vehicle} already carries terminal ${boundTo}; unbind it there first`);
      else boundInFile.set(vehicle, key);
    }
    let action: RowAction | null = null;
    let changes: RowReport['changes'] = {};
    if (mine.length === 0 && key !== null) {
      changes = changedFields(old?.record ?? null, merged);
      action = !old ? 'create' : Object.keys(changes).length === 0 ? 'unchanged' : 'update';
      if (action !== 'unchanged')
        writes.push({ key, id: old?.id ?? null, values: old ? parsed : merged, before: old?.record ?? null });
    }
    reports.push({ line: row.line, key, action, changes, errors: mine });
    const where = `line ${String(row.line)}${key !== null ? ` (${keyField} ${key})` : ''}`;
    errors.push(...mine.map((m) => `${where}: ${m}`));
  }
  return { reports, writes: errors.length > 0 ? [] : writes, errors };
}

/** A CSV file: a header row naming fields (any order, any subset with the key), then data rows. */
export function planFleetCsv(
  kind: FleetKind,
  csv: string,
  existing: ReadonlyMap<string, ExistingRow>,
  refs: FleetRefs,
): FleetPlan & { readonly headerErrors: readonly string[] } {
  const [header, ...data] = parseCsv(csv);
  const headerErrors: string[] = [];
  if (!header)
    return { reports: [], writes: [], errors: ['the file is empty'], headerErrors: ['the file is empty'] };
  const fields = header.cells.map((h) => fieldForHeader(kind, h));
  header.cells.forEach((h, i) => {
    if (!fields[i])
      headerErrors.push(
        `column ${String(i + 1)} "${h}" is not a ${kind} field (${FLEET_FIELDS[kind].map((f) => f.key).join(', ')})`,
      );
  });
  const keys = fields.map((f) => f?.key);
  if (!keys.includes(keyOf(kind))) headerErrors.push(`the header needs a ${keyOf(kind)} column`);
  const dupes = keys.filter((k, i) => k !== undefined && keys.indexOf(k) !== i);
  if (dupes.length > 0) headerErrors.push(`column ${String(dupes[0])} appears twice`);
  if (headerErrors.length > 0)
    return { reports: [], writes: [], errors: headerErrors.map((e) => `line 1: ${e}`), headerErrors };
  const rows: InputRow[] = data.map((r) => {
    const cells: Record<string, string> = {};
    keys.forEach((k, i) => {
      if (k !== undefined) cells[k] = r.cells[i] ?? '';
    });
    return { line: r.line, cells };
  });
  const extra = data.filter((r) => r.cells.length > header.cells.length);
  const plan = planFleetRows(kind, rows, existing, refs);
  if (extra.length === 0) return { ...plan, headerErrors };
  // A row with more cells than the header has a stray comma: refuse it rather than drop a value.
  const bad = new Set(extra.map((r) => r.line));
  const reports = plan.reports.map((r) =>
    bad.has(r.line)
      ? {
          ...r,
          action: null,
          changes: {},
          errors: [...r.errors, 'has more cells than the header (a stray comma?)'],
        }
      : r,
  );
  const errors = reports.flatMap((r) =>
    r.errors.map((e) => `line ${String(r.line)}${r.key !== null ? ` (${keyOf(kind)} ${r.key})` : ''}: ${e}`),
  );
  return { reports, writes: [], errors, headerErrors };
}

import type { Pool } from '../../core/index.js';
import { toSchedule } from '../../rules/index.js';
import type { ExistingRow, FleetRecord, FleetRefs, RowWrite } from './fleet-plan.js';
import { FLEET_FIELDS, hoursToSchedule, keyOf, scheduleToHours, type FleetKind } from './fleet-spec.js';

/** The fleet registry in its text form (what import compares and export writes), and its writes. */
const SELECT: Record<FleetKind, string> = {
  companies: `SELECT id, name, license_no, contact, jurisdiction_code FROM companies ORDER BY id`,
  vehicles: `SELECT v.id, v.plate, c.name AS company, v.permit_no, to_char(v.permit_valid_from, 'YYYY-MM-DD') AS permit_valid_from,
                    to_char(v.permit_valid_to, 'YYYY-MM-DD') AS permit_valid_to, z.code AS approved_route,
                    v.permitted_hours, v.load_sensor, v.active
               FROM vehicles v LEFT JOIN companies c ON c.id = v.company_id LEFT JOIN zones z ON z.id = v.approved_route_id
              ORDER BY v.id`,
  terminals: `SELECT t.id, t.terminal_id, t.protocol_version, v.plate AS vehicle, t.manufacturer, t.model
                FROM terminals t LEFT JOIN vehicles v ON v.id = t.vehicle_id ORDER BY t.id`,
};

/** Result column of each field (refs come back as names, not ids). */
const RESULT_COLUMN: Record<string, string> = {
  company: 'company',
  approvedRoute: 'approved_route',
  vehicle: 'vehicle',
};

function toText(key: string, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (key === 'permittedHours') return scheduleToHours(toSchedule(v));
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export async function loadFleet(pool: Pool, kind: FleetKind): Promise<Map<string, ExistingRow>> {
  const { rows } = await pool.query<Record<string, unknown>>(SELECT[kind]);
  const out = new Map<string, ExistingRow>();
  for (const r of rows) {
    const record: Record<string, string | null> = {};
    for (const f of FLEET_FIELDS[kind]) record[f.key] = toText(f.key, r[RESULT_COLUMN[f.key] ?? f.column]);
    out.set(record[keyOf(kind)] ?? '', { id: Number(r.id), record });
  }
  return out;
}

export async function loadFleetRefs(pool: Pool): Promise<FleetRefs> {
  const [c, z, v, t] = await Promise.all([
    pool.query<{ name: string }>('SELECT name FROM companies'),
    pool.query<{ code: string }>(`SELECT code FROM zones WHERE kind = 'approved_route' AND active`),
    pool.query<{ plate: string }>('SELECT plate FROM vehicles'),
    pool.query<{ plate: string; terminal_id: string }>(
      'SELECT v.plate, t.terminal_id FROM terminals t JOIN vehicles v ON v.id = t.vehicle_id',
    ),
  ]);
  return {
    companies: new Set(c.rows.map((r) => r.name)),
    routes: new Set(z.rows.map((r) => r.code)),
    vehicles: new Set(v.rows.map((r) => r.plate)),
    terminalOfVehicle: new Map(t.rows.map((r) => [r.plate, r.terminal_id])),
  };
}

const REF_SQL: Record<string, string> = {
  company: '(SELECT id FROM companies WHERE name = $)',
  approvedRoute: `(SELECT id FROM zones WHERE code = $ AND kind = 'approved_route')`,
  vehicle: '(SELECT id FROM vehicles WHERE plate = $)',
};

function toDb(key: string, v: string | null): unknown {
  if (v === null) return null;
  if (key === 'permittedHours') return JSON.stringify(hoursToSchedule(v));
  if (key === 'loadSensor' || key === 'active') return v === 'true';
  return v;
}

const TABLE: Record<FleetKind, string> = {
  companies: 'companies',
  vehicles: 'vehicles',
  terminals: 'terminals',
};

/** Write every planned row in one transaction: all rows land, or none. Returns the ids. */
export async function applyFleet(
  pool: Pool,
  kind: FleetKind,
  writes: readonly RowWrite[],
): Promise<number[]> {
  const client = await pool.connect();
  const ids: number[] = [];
  try {
    await client.query('BEGIN');
    for (const w of writes) {
      const cols: string[] = [];
      const exprs: string[] = [];
      const args: unknown[] = [];
      for (const f of FLEET_FIELDS[kind]) {
        if (!(f.key in w.values)) continue;
        args.push(toDb(f.key, w.values[f.key] ?? null));
        cols.push(f.column);
        exprs.push((REF_SQL[f.key] ?? '$').replace('$', `$${String(args.length)}`));
      }
      if (w.id === null) {
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO ${TABLE[kind]} (${cols.join(', ')}) VALUES (${exprs.join(', ')}) RETURNING id`,
          args,
        );
        ids.push(Number(rows[0]?.id));
      } else {
        args.push(w.id);
        const sets = [...cols.map((c, i) => `${c} = ${exprs[i] ?? ''}`), 'updated_at = now()'];
        await client.query(
          `UPDATE ${TABLE[kind]} SET ${sets.join(', ')} WHERE id = $${String(args.length)}`,
          args,
        );
        ids.push(w.id);
      }
    }
    await client.query('COMMIT');
    return ids;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

export type { FleetRecord };

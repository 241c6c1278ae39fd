import type { GpsSource, LoadState, Pool } from '../core/index.js';
import { flushEngine, newEngineState, stepEngine, type EngineStats, type RulesInput } from './engine.js';
import { foldDrafts, type IncidentDraft } from './incidents.js';
import { toFix } from './inputs.js';
import { loadObservations } from './pg/incident-repo.js';
import type { CameraObservation, World } from './world.js';

/**
 * Replay a stored period — GPS points and the camera findings the live worker consumed — through
 * the same engine, in event-time order. The result is the fold of every draft per dedupe key,
 * exactly what the live worker's upserts leave in the incidents table.
 */
export interface ReplayOptions {
  readonly from: Date;
  readonly to: Date;
  readonly batch?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ReplayResult {
  readonly incidents: IncidentDraft[];
  readonly points: number;
  readonly stats: EngineStats;
}

type PointRow = [
  string | null,
  number,
  number,
  number,
  number | null,
  number | null,
  number,
  LoadState | null,
  GpsSource,
];

const POINTS_SQL = `
  SELECT COALESCE(p.vehicle_id, t.vehicle_id)::text, (extract(epoch FROM p.fix_time) * 1000)::float8,
         ST_X(p.geom), ST_Y(p.geom), p.speed_kmh::float8, p.heading_deg::float8, p.status_bits::float8, p.load_state, p.source
    FROM gps_points p
    LEFT JOIN terminals t ON p.vehicle_id IS NULL AND ltrim(t.terminal_id, '0') = ltrim(p.device_id, '0')
   WHERE p.fix_time >= $1 AND p.fix_time < $2
   ORDER BY p.fix_time, p.device_id`;

export async function countPoints(pool: Pool, from: Date, to: Date): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    'SELECT count(*) AS n FROM gps_points WHERE fix_time >= $1 AND fix_time < $2',
    [from, to],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Stored inputs of a period in event-time order, in batches (a server-side cursor: a day does not fit in memory twice). */
export async function* readInputs(
  pool: Pool,
  world: World,
  from: Date,
  to: Date,
  batch = 20_000,
): AsyncGenerator<RulesInput[]> {
  const cameras: CameraObservation[] = await loadObservations(pool, from, to);
  let ci = 0;
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query({
      text: `DECLARE replay_points NO SCROLL CURSOR FOR ${POINTS_SQL}`,
      values: [from, to],
    });
    const fetch = () =>
      client.query<PointRow>({ text: `FETCH ${batch} FROM replay_points`, rowMode: 'array' });
    // The next batch is fetched while this one runs through the rules: the database and the rules overlap.
    let next = fetch();
    for (;;) {
      const { rows } = await next;
      if (rows.length === 0) break;
      next = fetch();
      const out: RulesInput[] = [];
      for (const r of rows) {
        const t = r[1];
        // A camera finding goes in before the first fix that is later than it, as in time order.
        while (ci < cameras.length && (cameras[ci] as CameraObservation).t < t) {
          out.push({ kind: 'camera', obs: cameras[ci++] as CameraObservation });
        }
        if (r[0] === null) continue;
        const vehicleId = Number(r[0]);
        const fix = toFix(
          {
            vehicleId,
            fixTime: t,
            lon: r[2],
            lat: r[3],
            speedKmh: r[4],
            headingDeg: r[5],
            statusBits: r[6],
            loadState: r[7],
            source: r[8],
          },
          world.vehicles.get(vehicleId)?.loadSensor ?? false,
        );
        out.push({ kind: 'fix', fix });
      }
      yield out;
    }
    const rest = cameras.slice(ci).map((obs): RulesInput => ({ kind: 'camera', obs }));
    if (rest.length > 0) yield rest;
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

/** Run a stored period through a fresh engine; incidents in dedupe-key order. */
export async function replayPeriod(pool: Pool, world: World, opts: ReplayOptions): Promise<ReplayResult> {
  const total = opts.onProgress ? await countPoints(pool, opts.from, opts.to) : 0;
  const state = newEngineState();
  const byKey = new Map<string, IncidentDraft>();
  let points = 0;
  for await (const inputs of readInputs(pool, world, opts.from, opts.to, opts.batch)) {
    for (const input of inputs) {
      if (input.kind === 'fix') points++;
      foldDrafts(byKey, stepEngine(state, input, world).outputs);
    }
    opts.onProgress?.(points, total);
  }
  foldDrafts(byKey, flushEngine(state, world));
  const incidents = [...byKey.values()].sort((a, b) => (a.dedupeKey < b.dedupeKey ? -1 : 1));
  return { incidents, points, stats: state.stats };
}

export function progressBar(done: number, total: number, elapsedS: number, width = 30): string {
  const frac = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(frac * width);
  const rate = elapsedS > 0 ? done / elapsedS : 0;
  const eta = rate > 0 && total > done ? Math.round((total - done) / rate) : 0;
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(1)}% ` +
    `${done.toLocaleString('en')}/${total.toLocaleString('en')} points, ${Math.round(rate).toLocaleString('en')}/s, ETA ${eta}s`
  );
}

/** Lines only in one side, for a readable diff. */
export function diffCanonical(replayed: readonly string[], stored: readonly string[]): string[] {
  const a = new Set(replayed);
  const b = new Set(stored);
  return [
    ...replayed.filter((l) => !b.has(l)).map((l) => `+ replay  ${l}`),
    ...stored.filter((l) => !a.has(l)).map((l) => `- stored  ${l}`),
  ];
}

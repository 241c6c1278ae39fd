import type { Pool, PoolClient } from '../../core/index.js';
import type { Rejected } from './filters.js';
import type { GpsPoint } from './point.js';

/**
 * PostgreSQL side of GPS intake: points into the partitioned gps_points table (one multi-row
 * INSERT … ON CONFLICT DO NOTHING per batch, so re-sent points are stored once) and refused
 * points into gps_quarantine, in one transaction.
 */
const MONTH_MS = (t: number): string => new Date(t).toISOString().slice(0, 7);

export class PointStore {
  private readonly months = new Map<string, Promise<void>>();

  constructor(private readonly pool: Pool) {}

  /** Write a batch; returns the points that were new (the rest were already stored). */
  async write(points: readonly GpsPoint[], rejected: readonly Rejected[]): Promise<GpsPoint[]> {
    await this.ensurePartitions(points);
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const inserted = points.length > 0 ? await insertPoints(client, points) : [];
      if (rejected.length > 0) await insertQuarantine(client, rejected);
      await client.query('COMMIT');
      return inserted;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Monthly partitions, made before the first point of each month (a DEFAULT row would block it).
   * Concurrent writers of one store share one attempt per month.
   */
  private async ensurePartitions(points: readonly GpsPoint[]): Promise<void> {
    const months = new Set(points.map((p) => MONTH_MS(p.fixTimeMs)));
    for (const month of months) {
      let made = this.months.get(month);
      if (!made) {
        made = this.makePartition(month);
        this.months.set(month, made);
        // A failed attempt is forgotten, so the next batch tries again.
        made.catch(() => this.months.delete(month)).catch(() => undefined);
      }
      await made;
    }
  }

  private async makePartition(month: string): Promise<void> {
    try {
      await this.pool.query('SELECT ensure_gps_points_partition($1::date)', [`${month}-01`]);
    } catch (err) {
      // 23514: rows of that month already sit in the DEFAULT partition; they stay there.
      // 42P07: another gateway made it at the same moment.
      const code = (err as { code?: string }).code;
      if (code !== '23514' && code !== '42P07') throw err;
    }
  }
}

// One JSON parameter (serialised natively, parsed by PostgreSQL) costs the gateway far less CPU
// than fourteen text-encoded arrays.
const INSERT_POINTS = `
INSERT INTO gps_points (device_id, vehicle_id, fix_time, received_at, geom, speed_kmh, heading_deg,
                        altitude_m, alarm_bits, status_bits, load_state, source, extra)
SELECT d, v, to_timestamp(t / 1000.0), to_timestamp(r / 1000.0), ST_SetSRID(ST_MakePoint(x, y), 4326),
       s, h, a, al, st, ls, src, e
FROM json_to_recordset($1::json) AS u(d text, v bigint, t float8, r float8, x float8, y float8, s real,
                                      h real, a real, al bigint, st bigint, ls text, src text, e jsonb)
ON CONFLICT (device_id, fix_time) DO NOTHING
RETURNING device_id, (extract(epoch FROM fix_time) * 1000)::float8 AS t`;

async function insertPoints(client: PoolClient, points: readonly GpsPoint[]): Promise<GpsPoint[]> {
  const rows = JSON.stringify(
    points.map((p) => ({
      d: p.deviceId,
      v: p.vehicleId ?? null,
      t: p.fixTimeMs,
      r: p.receivedMs,
      x: p.lon,
      y: p.lat,
      s: p.speedKmh ?? null,
      h: p.headingDeg ?? null,
      a: p.altitudeM ?? null,
      al: p.alarmBits,
      st: p.statusBits,
      ls: p.loadState ?? null,
      src: p.source,
      e: p.extra,
    })),
  );
  const { rows: inserted } = await client.query<{ device_id: string; t: number }>(INSERT_POINTS, [rows]);
  if (inserted.length === points.length) return [...points];
  const fresh = new Set(inserted.map((r) => `${r.device_id}\u0000${String(Math.round(r.t))}`));
  return points.filter((p) => fresh.has(`${p.deviceId}\u0000${String(p.fixTimeMs)}`));
}

const INSERT_QUARANTINE = `
INSERT INTO gps_quarantine (device_id, vehicle_id, fix_time, received_at, reason, detail, source, lon, lat, point)
SELECT d, v, CASE WHEN t IS NULL OR t <> t THEN NULL ELSE to_timestamp(t / 1000.0) END, to_timestamp(r / 1000.0),
       reason, detail, src, x, y, pt
FROM unnest($1::text[], $2::bigint[], $3::float8[], $4::float8[], $5::text[], $6::text[], $7::text[],
            $8::float8[], $9::float8[], $10::jsonb[]) AS u(d, v, t, r, reason, detail, src, x, y, pt)`;

const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);

async function insertQuarantine(client: PoolClient, rejected: readonly Rejected[]): Promise<void> {
  const col = <T>(f: (r: Rejected) => T): T[] => rejected.map(f);
  await client.query(INSERT_QUARANTINE, [
    col((r) => r.point.deviceId),
    col((r) => r.point.vehicleId ?? null),
    col((r) => (Math.abs(r.point.fixTimeMs) < 8.64e15 ? r.point.fixTimeMs : null)),
    col((r) => r.point.receivedMs),
    col((r) => r.reason),
    col((r) => r.detail ?? null),
    col((r) => r.point.source),
    col((r) => finite(r.point.lon)),
    col((r) => finite(r.point.lat)),
    col((r) => JSON.stringify({ ...r.point, lon: finite(r.point.lon), lat: finite(r.point.lat) })),
  ]);
}

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
  private readonly months = new Set<string>();

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

  /** Monthly partitions, made before the first point of each month (a DEFAULT row would block it). */
  private async ensurePartitions(points: readonly GpsPoint[]): Promise<void> {
    for (const p of points) {
      const month = MONTH_MS(p.fixTimeMs);
      if (this.months.has(month)) continue;
      try {
        await this.pool.query('SELECT ensure_gps_points_partition($1::date)', [`${month}-01`]);
      } catch (err) {
        // 23514: rows of that month already sit in the DEFAULT partition; they stay there.
        if ((err as { code?: string }).code !== '23514') throw err;
      }
      this.months.add(month);
    }
  }
}

const INSERT_POINTS = `
INSERT INTO gps_points (device_id, vehicle_id, fix_time, received_at, geom, speed_kmh, heading_deg,
                        altitude_m, alarm_bits, status_bits, load_state, source, extra)
SELECT d, v, to_timestamp(t / 1000.0), to_timestamp(r / 1000.0), ST_SetSRID(ST_MakePoint(x, y), 4326),
       s, h, a, al, st, ls, src, e
FROM unnest($1::text[], $2::bigint[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::real[],
            $8::real[], $9::real[], $10::bigint[], $11::bigint[], $12::text[], $13::text[], $14::jsonb[])
     AS u(d, v, t, r, x, y, s, h, a, al, st, ls, src, e)
ON CONFLICT (device_id, fix_time) DO NOTHING
RETURNING device_id, (extract(epoch FROM fix_time) * 1000)::float8 AS t`;

async function insertPoints(client: PoolClient, points: readonly GpsPoint[]): Promise<GpsPoint[]> {
  const col = <T>(f: (p: GpsPoint) => T): T[] => points.map(f);
  const { rows } = await client.query<{ device_id: string; t: number }>(INSERT_POINTS, [
    col((p) => p.deviceId),
    col((p) => p.vehicleId ?? null),
    col((p) => p.fixTimeMs),
    col((p) => p.receivedMs),
    col((p) => p.lon),
    col((p) => p.lat),
    col((p) => p.speedKmh ?? null),
    col((p) => p.headingDeg ?? null),
    col((p) => p.altitudeM ?? null),
    col((p) => p.alarmBits),
    col((p) => p.statusBits),
    col((p) => p.loadState ?? null),
    col((p) => p.source),
    col((p) => JSON.stringify(p.extra)),
  ]);
  if (rows.length === points.length) return [...points];
  const fresh = new Set(rows.map((r) => `${r.device_id}\u0000${String(Math.round(r.t))}`));
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

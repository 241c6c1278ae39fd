/**
 * The runtime scope check of the HTTP intake: may this platform report this device? The fleet
 * registry's owner of each device against the platform's companies, both cached, and the
 * quarantine of refused positions (`gps_quarantine`, reason `device_not_allowed`). Apart from the
 * scope's administration (`platform-scope.ts`) because the intake needs only this, on every batch.
 */

import type { Pool } from '../../core/index.js';
import type { Platform } from './platforms.js';
import type { GpsPoint } from './point.js';

/** What the fleet registry says about a device id: its vehicle and that vehicle's company, or null when unregistered. */
export interface DeviceOwner {
  readonly vehicleId: number;
  readonly companyId: number | null;
  readonly companyName: string | null;
  /** False when the registry has retired the vehicle (`vehicles.active`). */
  readonly active: boolean;
}

/** A platform's scope as the check needs it. */
export interface ScopeRule {
  readonly allDevices: boolean;
  readonly companyIds: ReadonlySet<number>;
}

/** Why `platform` may not report `deviceId` (a message for the platform's people), or null when it may. Pure. */
export function deviceRefusal(
  platform: string,
  rule: ScopeRule,
  deviceId: string,
  owner: DeviceOwner | null,
): string | null {
  if (rule.allDevices) return null;
  const head = `Platform "${platform}" may not report device "${deviceId}"`;
  if (!owner) {
    return `${head}: it is no terminal id or plate in the fleet registry, and this platform reports only registered vehicles of its companies (register the vehicle first)`;
  }
  if (!owner.active) {
    return `${head}: its vehicle is marked inactive in the fleet registry (reactivate it if it is back in service)`;
  }
  if (owner.companyId === null || owner.companyName === null) {
    return `${head}: its vehicle belongs to no transport company in the fleet registry`;
  }
  if (rule.companyIds.has(owner.companyId)) return null;
  return `${head}: its vehicle belongs to "${owner.companyName}", which is not one of this platform's companies (ask the city to add it to the platform's scope)`;
}

/** A position refused because its device is outside the sending platform's scope. */
export interface ScopeRefused {
  readonly point: GpsPoint;
  readonly detail: string;
}

export interface DeviceScope {
  /** Device id → why the platform may not report it, for those among `deviceIds` it may not (one query per TTL at most). */
  refusals(platform: Platform, deviceIds: readonly string[]): Promise<Map<string, string>>;
  /** Keeps refused positions for an operator: `gps_quarantine` with reason `device_not_allowed`. */
  quarantine(refused: readonly ScopeRefused[]): Promise<void>;
}

/**
 * The scope check of the HTTP intake. A platform's scope and each device's company are cached for
 * `ttlMs` (a batch costs at most one query for the scope and one for its uncached devices, none
 * per point); a scope change takes effect within that time. An all-devices platform costs no
 * device query at all. While PostgreSQL cannot be reached, what was last read stands (however
 * old); only a platform or device never seen makes the check fail.
 */
export function platformDeviceScope(pool: Pool, ttlMs = 30_000, now = Date.now): DeviceScope {
  const rules = new Map<number, { at: number; rule: ScopeRule }>();
  const owners = new Map<string, { at: number; owner: DeviceOwner | null }>();

  const ruleOf = async (platformId: number): Promise<ScopeRule> => {
    const hit = rules.get(platformId);
    if (hit && now() - hit.at < ttlMs) return hit.rule;
    let rows: { all_devices: boolean; companies: string[] }[];
    try {
      ({ rows } = await pool.query<{ all_devices: boolean; companies: string[] }>(
        `SELECT all_devices,
                ARRAY(SELECT company_id::text FROM gps_platform_companies WHERE platform_id = p.id) AS companies
         FROM gps_platforms p WHERE id = $1`,
        [platformId],
      ));
    } catch (err) {
      // PostgreSQL away for a moment: the last known scope stands, so the accepted points go to
      // the spool as they would from a JT/T 808 terminal instead of every batch being refused.
      if (hit) return hit.rule;
      throw err;
    }
    const row = rows[0];
    // A platform that has gone reports nothing.
    const rule = {
      allDevices: row?.all_devices ?? false,
      companyIds: new Set((row?.companies ?? []).map(Number)),
    };
    rules.set(platformId, { at: now(), rule });
    return rule;
  };

  const ownersOf = async (deviceIds: readonly string[]): Promise<Map<string, DeviceOwner | null>> => {
    const out = new Map<string, DeviceOwner | null>();
    const stale: string[] = [];
    for (const id of deviceIds) {
      const hit = owners.get(id);
      if (hit && now() - hit.at < ttlMs) out.set(id, hit.owner);
      else stale.push(id);
    }
    if (stale.length === 0) return out;
    let rows: {
      device_id: string;
      vehicle_id: string | null;
      company_id: string | null;
      company: string | null;
      active: boolean | null;
    }[];
    try {
      // The same resolution as `vehicleLookup`: a terminal's bound vehicle, else a vehicle with that plate.
      ({ rows } = await pool.query(
        `SELECT d.id AS device_id, v.id AS vehicle_id, v.company_id, c.name AS company, v.active
         FROM unnest($1::text[]) AS d(id)
         LEFT JOIN LATERAL (
           SELECT COALESCE(
             (SELECT t.vehicle_id FROM terminals t WHERE ltrim(t.terminal_id, '0') = ltrim(d.id, '0') LIMIT 1),
             (SELECT x.id FROM vehicles x WHERE x.plate = d.id)) AS vehicle_id) r ON true
         LEFT JOIN vehicles v ON v.id = r.vehicle_id
         LEFT JOIN companies c ON c.id = v.company_id`,
        [stale],
      ));
    } catch (err) {
      // As for the scope: owners seen before stand while PostgreSQL is away; a device never seen cannot be judged.
      if (!stale.every((id) => owners.has(id))) throw err;
      for (const id of stale) out.set(id, owners.get(id)?.owner ?? null);
      return out;
    }
    if (owners.size > 100_000) owners.clear(); // unknown ids must not grow it without bound
    const at = now();
    for (const r of rows) {
      const owner =
        r.vehicle_id === null
          ? null
          : {
              vehicleId: Number(r.vehicle_id),
              companyId: r.company_id === null ? null : Number(r.company_id),
              companyName: r.company,
              active: r.active !== false,
            };
      owners.set(r.device_id, { at, owner });
      out.set(r.device_id, owner);
    }
    return out;
  };

  return {
    async refusals(platform, deviceIds) {
      const refused = new Map<string, string>();
      const rule = await ruleOf(platform.id);
      if (rule.allDevices) return refused;
      const unique = [...new Set(deviceIds)];
      const found = await ownersOf(unique);
      for (const id of unique) {
        const why = deviceRefusal(platform.name, rule, id, found.get(id) ?? null);
        if (why !== null) refused.set(id, why);
      }
      return refused;
    },
    async quarantine(refused) {
      if (refused.length === 0) return;
      await pool.query(INSERT_REFUSED, [
        JSON.stringify(
          refused.map(({ point: p, detail }) => ({
            d: p.deviceId,
            v: p.vehicleId ?? null,
            t: p.fixTimeMs,
            r: p.receivedMs,
            detail,
            src: p.source,
            x: p.lon,
            y: p.lat,
            pt: p,
          })),
        ),
      ]);
    },
  };
}

const INSERT_REFUSED = `
INSERT INTO gps_quarantine (device_id, vehicle_id, fix_time, received_at, reason, detail, source, lon, lat, point)
SELECT d, v, to_timestamp(t / 1000.0), to_timestamp(r / 1000.0), 'device_not_allowed', detail, src, x, y, pt
FROM json_to_recordset($1::json) AS u(d text, v bigint, t float8, r float8, detail text, src text,
                                      x float8, y float8, pt jsonb)`;

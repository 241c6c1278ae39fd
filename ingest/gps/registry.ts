import { randomBytes } from 'node:crypto';
import type { Pool } from '../../core/index.js';
import type { ProtocolVersion } from './jt808/index.js';
import { REGISTER_RESULT, type Register } from './jt808/index.js';

/**
 * Terminals and vehicles as JT/T 808 registration sees them: a terminal must already be in
 * `terminals` (provisioned by an administrator) and the plate it reports must be a known,
 * active vehicle. Registration binds the two and issues an auth code; authentication checks it.
 */
export interface TerminalRegistry {
  register(
    terminalId: string,
    version: ProtocolVersion,
    reg: Register,
  ): Promise<{ result: number; authCode?: string }>;
  authenticate(terminalId: string, authCode: string): Promise<{ ok: boolean; vehicleId?: number }>;
}

export class PgTerminalRegistry implements TerminalRegistry {
  constructor(private readonly pool: Pool) {}

  async register(
    terminalId: string,
    version: ProtocolVersion,
    reg: Register,
  ): Promise<{ result: number; authCode?: string }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const t = await client.query<{ id: string; vehicle_id: string | null }>(
        `SELECT id, vehicle_id FROM terminals WHERE ltrim(terminal_id, '0') = $1 FOR UPDATE`,
        [terminalId],
      );
      const terminal = t.rows[0];
      if (!terminal) return await this.done(client, { result: REGISTER_RESULT.NO_SUCH_TERMINAL });
      const v = await client.query<{ id: string; bound: string | null }>(
        `SELECT v.id, (SELECT t.id FROM terminals t WHERE t.vehicle_id = v.id) AS bound
           FROM vehicles v WHERE v.plate = $1 AND v.active FOR UPDATE OF v`,
        [reg.plate],
      );
      const vehicle = v.rows[0];
      if (!vehicle) return await this.done(client, { result: REGISTER_RESULT.NO_SUCH_VEHICLE });
      if (vehicle.bound !== null && vehicle.bound !== terminal.id) {
        return await this.done(client, { result: REGISTER_RESULT.VEHICLE_ALREADY_REGISTERED });
      }
      if (terminal.vehicle_id !== null && terminal.vehicle_id !== vehicle.id) {
        return await this.done(client, { result: REGISTER_RESULT.TERMINAL_ALREADY_REGISTERED });
      }
      const authCode = randomBytes(12).toString('hex');
      await client.query(
        `UPDATE terminals SET vehicle_id = $2, auth_code = $3, protocol_version = $4, manufacturer = $5,
                model = $6, registered_at = now(), last_seen_at = now() WHERE id = $1`,
        [terminal.id, vehicle.id, authCode, version, reg.manufacturer || null, reg.model || null],
      );
      return await this.done(client, { result: REGISTER_RESULT.OK, authCode });
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async authenticate(terminalId: string, authCode: string): Promise<{ ok: boolean; vehicleId?: number }> {
    const { rows } = await this.pool.query<{ vehicle_id: string | null }>(
      `UPDATE terminals SET last_seen_at = now()
        WHERE ltrim(terminal_id, '0') = $1 AND auth_code IS NOT NULL AND auth_code = $2
        RETURNING vehicle_id`,
      [terminalId, authCode],
    );
    const row = rows[0];
    if (!row) return { ok: false };
    return row.vehicle_id === null ? { ok: true } : { ok: true, vehicleId: Number(row.vehicle_id) };
  }

  private async done(
    client: { query: (sql: string) => Promise<unknown> },
    r: { result: number; authCode?: string },
  ): Promise<{ result: number; authCode?: string }> {
    await client.query('COMMIT');
    return r;
  }
}

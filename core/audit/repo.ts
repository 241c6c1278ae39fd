import type { Pool } from '../db/index.js';
import { GENESIS_HASH, rowHash, type AuditEntry, type AuditRow } from './chain.js';

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'> & { readonly at?: Date };

// One writer at a time: the next row needs the previous row's hash.
const AUDIT_LOCK = 0x6d77_0002;

/** An audit_log row as PostgreSQL returns it. */
export interface AuditDbRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor: string;
  action: string;
  target_type: string;
  target_id: string | null;
  details: unknown;
  prev_hash: string;
  hash: string;
}

export const auditRowFromDb = (r: AuditDbRow): AuditRow => ({
  id: Number(r.id),
  at: r.at.toISOString(),
  actorId: r.actor_id === null ? null : Number(r.actor_id),
  actor: r.actor,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  details: r.details,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** Append one entry to the hash-chained audit log (serialised by an advisory lock). */
export async function appendAudit(pool: Pool, entry: NewAuditEntry): Promise<AuditRow> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
    const last = await client.query<{ hash: string }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
    const prevHash = last.rows[0]?.hash ?? GENESIS_HASH;
    const idRow = await client.query<{ id: string }>(
      "SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) AS id",
    );
    // Millisecond precision so the stored time round-trips to the hashed text exactly.
    const at = new Date(Math.floor((entry.at ?? new Date()).getTime()));
    const full: AuditEntry = {
      id: Number(idRow.rows[0]?.id),
      at: at.toISOString(),
      actorId: entry.actorId,
      actor: entry.actor,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      details: entry.details ?? {},
    };
    const hash = rowHash(full, prevHash);
    await client.query(
      `INSERT INTO audit_log (id, at, actor_id, actor, action, target_type, target_id, details, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        full.id,
        at,
        full.actorId,
        full.actor,
        full.action,
        full.targetType,
        full.targetId,
        JSON.stringify(full.details),
        prevHash,
        hash,
      ],
    );
    await client.query('COMMIT');
    return { ...full, prevHash, hash };
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

export async function readAudit(
  pool: Pool,
  filter: { targetType?: string; targetId?: string } = {},
): Promise<AuditRow[]> {
  const where: string[] = [];
  const args: string[] = [];
  if (filter.targetType) where.push(`target_type = $${String(args.push(filter.targetType))}`);
  if (filter.targetId) where.push(`target_id = $${String(args.push(filter.targetId))}`);
  const { rows } = await pool.query<AuditDbRow>(
    `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
    args,
  );
  return rows.map(auditRowFromDb);
}

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
  const [row] = await appendAuditMany(pool, [entry]);
  if (!row) throw new Error('audit entry not written');
  return row;
}

/**
 * Append entries in order, in one transaction under one lock: a bulk import's thousand row
 * changes cost one round of locking, and land all together or not at all.
 */
export async function appendAuditMany(pool: Pool, entries: readonly NewAuditEntry[]): Promise<AuditRow[]> {
  if (entries.length === 0) return [];
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
    const last = await client.query<{ hash: string }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
    let prevHash = last.rows[0]?.hash ?? GENESIS_HASH;
    const ids = await client.query<{ id: string }>(
      "SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) AS id FROM generate_series(1, $1)",
      [entries.length],
    );
    const out: AuditRow[] = [];
    for (const [i, entry] of entries.entries()) {
      // Millisecond precision so the stored time round-trips to the hashed text exactly.
      const at = new Date(Math.floor((entry.at ?? new Date()).getTime()));
      const full: AuditEntry = {
        id: Number(ids.rows[i]?.id),
        at: at.toISOString(),
        actorId: entry.actorId,
        actor: entry.actor,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId,
        details: entry.details ?? {},
      };
      const hash = rowHash(full, prevHash);
      out.push({ ...full, prevHash, hash });
      prevHash = hash;
    }
    // One INSERT per 500 rows keeps a 10,000-row import to a few round trips.
    for (let k = 0; k < out.length; k += 500) {
      const chunk = out.slice(k, k + 500);
      const args: unknown[] = [];
      const values = chunk.map((r) => {
        args.push(
          r.id,
          r.at,
          r.actorId,
          r.actor,
          r.action,
          r.targetType,
          r.targetId,
          JSON.stringify(r.details),
          r.prevHash,
          r.hash,
        );
        const b = args.length - 10;
        return `(${Array.from({ length: 10 }, (_, j) => `$${String(b + j + 1)}`).join(', ')})`;
      });
      await client.query(
        `INSERT INTO audit_log (id, at, actor_id, actor, action, target_type, target_id, details, prev_hash, hash)
         VALUES ${values.join(', ')}`,
        args,
      );
    }
    await client.query('COMMIT');
    return out;
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

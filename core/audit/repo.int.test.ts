import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/services.js';
import { verifyChain } from './chain.js';
import { appendAudit, appendAuditMany, readAudit } from './repo.js';

describe('audit log in PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.cleanup();
  });

  it('appends a verifiable chain, even from concurrent writers, and detects tampering in SQL', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        appendAudit(db.pool, {
          actorId: null,
          actor: `op${String(i % 3)}`,
          action: 'incident.status',
          targetType: 'incident',
          targetId: String(i % 4),
          details: { to: 'registered', i },
        }),
      ),
    );
    const rows = await readAudit(db.pool);
    expect(rows).toHaveLength(12);
    expect(verifyChain(rows)).toEqual([]);
    expect((await readAudit(db.pool, { targetType: 'incident', targetId: '1' })).length).toBe(3);

    const victim = rows[5]?.id ?? 0;
    await db.pool.query(`UPDATE audit_log SET details = '{"to":"closed"}' WHERE id = $1`, [victim]);
    expect(verifyChain(await readAudit(db.pool))).toEqual([
      expect.objectContaining({ kind: 'edited', id: victim }),
    ]);

    const gone = rows[8]?.id ?? 0;
    await db.pool.query('DELETE FROM audit_log WHERE id = $1', [gone]);
    const problems = verifyChain(await readAudit(db.pool));
    expect(problems).toContainEqual(expect.objectContaining({ kind: 'removed', id: rows[9]?.id }));
  });

  it('appends a batch in order, chained to what came before, between single writers', async () => {
    const fresh = await createTestDatabase();
    try {
      const one = (i: number) => ({
        actorId: null,
        actor: 'admin',
        action: 'vehicle.create',
        targetType: 'vehicle',
        targetId: String(i),
        details: { i },
      });
      await appendAudit(fresh.pool, one(0));
      const [batch] = await Promise.all([
        appendAuditMany(
          fresh.pool,
          Array.from({ length: 1200 }, (_, i) => one(i + 1)),
        ),
        appendAudit(fresh.pool, one(9999)),
      ]);
      expect(batch.map((r) => r.targetId)).toEqual(Array.from({ length: 1200 }, (_, i) => String(i + 1)));
      const rows = await readAudit(fresh.pool);
      expect(rows).toHaveLength(1202);
      expect(verifyChain(rows)).toEqual([]);
      expect(await appendAuditMany(fresh.pool, [])).toEqual([]);
    } finally {
      await fresh.cleanup();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalJson, rowHash, verifyChain, type AuditRow } from './chain.js';

function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let id = 1; id <= n; id++) {
    const e = {
      id,
      at: `2026-11-27T08:00:0${String(id)}.000Z`,
      actorId: 7,
      actor: 'auditor1',
      action: 'evidence.view',
      targetType: 'incident',
      targetId: String(100 + id),
      details: { n: id },
    };
    const hash = rowHash(e, prev);
    rows.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe('audit hash chain', () => {
  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });

  it('an intact chain verifies', () => {
    expect(verifyChain(chain(5))).toEqual([]);
  });

  it('names an edited row', () => {
    const rows = chain(5);
    rows[2] = { ...(rows[2] as AuditRow), details: { n: 999 } };
    expect(verifyChain(rows)).toEqual([expect.objectContaining({ kind: 'edited', id: 3 })]);
  });

  it('names where rows were removed', () => {
    const rows = chain(5);
    rows.splice(2, 1);
    expect(verifyChain(rows)).toEqual([expect.objectContaining({ kind: 'removed', id: 4 })]);
  });

  it('names an inserted row', () => {
    const rows = chain(5);
    const after = rows[1] as AuditRow;
    const forged = { ...after, id: 2.5, action: 'evidence.delete', prevHash: after.hash };
    rows.splice(2, 0, { ...forged, hash: rowHash(forged, after.hash) });
    expect(verifyChain(rows)).toEqual([expect.objectContaining({ kind: 'inserted', id: 2.5 })]);
  });

  it('names reordered rows', () => {
    const rows = chain(5);
    [rows[1], rows[2]] = [rows[2] as AuditRow, rows[1] as AuditRow];
    const kinds = verifyChain(rows).map((p) => p.kind);
    expect(kinds).toContain('reordered');
  });

  it('verifies an excerpt from a known start hash', () => {
    const rows = chain(5);
    expect(verifyChain(rows.slice(2), rows[1]?.hash)).toEqual([]);
    expect(verifyChain(rows.slice(2))).not.toEqual([]);
  });
});

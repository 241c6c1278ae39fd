/**
 * Pure: the audit log's hash chain. Each row's hash covers its own content and the previous
 * row's hash, so an edited, removed, inserted or reordered row breaks the chain where it happened.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  readonly id: number;
  /** ISO-8601 time with milliseconds, UTC. */
  readonly at: string;
  readonly actorId: number | null;
  readonly actor: string;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  readonly details: unknown;
}

export interface AuditRow extends AuditEntry {
  readonly prevHash: string;
  readonly hash: string;
}

/** JSON with sorted keys: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function rowHash(entry: AuditEntry, prevHash: string): string {
  const body = canonicalJson({
    id: entry.id,
    at: entry.at,
    actorId: entry.actorId,
    actor: entry.actor,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    details: entry.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export type ChainProblem =
  | { readonly kind: 'edited'; readonly id: number; readonly message: string }
  | { readonly kind: 'removed'; readonly id: number; readonly message: string }
  | { readonly kind: 'inserted'; readonly id: number; readonly message: string }
  | { readonly kind: 'reordered'; readonly id: number; readonly message: string };

/**
 * Walk rows in id order and name every row where the chain breaks:
 * - edited: the row's content no longer gives its stored hash;
 * - removed: the row links to a hash that is not the previous row's (rows are missing before it);
 * - inserted: the row links correctly to nothing we know but the next row skips it;
 * - reordered: ids go backwards, or a row links to a later row's hash.
 * `startHash` lets an excerpt (not starting at genesis) be verified.
 */
export function verifyChain(rows: readonly AuditRow[], startHash: string = GENESIS_HASH): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const hashIndex = new Map(rows.map((r, i) => [r.hash, i]));
  let prev = startHash;
  let prevId = -Infinity;
  rows.forEach((row, i) => {
    if (row.id <= prevId) {
      problems.push({
        kind: 'reordered',
        id: row.id,
        message: `row ${String(row.id)} comes after row ${String(prevId)}`,
      });
    }
    if (rowHash(row, row.prevHash) !== row.hash) {
      problems.push({
        kind: 'edited',
        id: row.id,
        message: `row ${String(row.id)} content does not match its hash`,
      });
    }
    if (row.prevHash !== prev) {
      const linked = hashIndex.get(row.prevHash);
      if (linked !== undefined && linked > i) {
        problems.push({
          kind: 'reordered',
          id: row.id,
          message: `row ${String(row.id)} links to a later row`,
        });
      } else if (linked !== undefined && linked < i - 1) {
        const skipped = rows[i - 1]?.id ?? row.id;
        problems.push({
          kind: 'inserted',
          id: skipped,
          message: `row ${String(skipped)} is not in the chain (row ${String(row.id)} links past it)`,
        });
      } else {
        problems.push({
          kind: 'removed',
          id: row.id,
          message: `row(s) missing before row ${String(row.id)}: it links to a hash no row here has`,
        });
      }
    }
    prev = row.hash;
    prevId = row.id;
  });
  return problems;
}

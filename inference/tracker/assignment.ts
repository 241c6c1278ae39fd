import type { Box } from './types.js';

export function iou(a: Box, b: Box): number {
  const ix = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const iy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (ix <= 0 || iy <= 0) return 0;
  const inter = ix * iy;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Minimum-cost assignment of rows to columns where leaving a row or a column unassigned costs
 * `limit / 2` each — so a pair is matched only when its cost is below `limit`, the same rule as
 * ByteTrack's `lapjv(cost, extend_cost=True, cost_limit=thresh)`. Non-finite costs never match.
 * Returns [row, col] pairs sorted by row. Deterministic: ties go to the lower index.
 *
 * A pair at or above the limit never matches, so the problem splits into the connected groups of
 * rows and columns joined by pairs below it; each group is solved on its own. In a street scene a
 * detection overlaps one or two tracks, so the cubic solver only ever sees tiny matrices.
 */
export function linearAssignment(cost: readonly (readonly number[])[], limit: number): [number, number][] {
  const n = cost.length;
  const m = n > 0 ? (cost[0]?.length ?? 0) : 0;
  if (n === 0 || m === 0) return [];
  // Union-find over rows 0..n-1 and columns n..n+m-1.
  const parent = Array.from({ length: n + m }, (_, i) => i);
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r] ?? r;
    while (parent[x] !== r) {
      const next = parent[x] ?? r;
      parent[x] = r;
      x = next;
    }
    return r;
  };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      if ((cost[i]?.[j] ?? Infinity) < limit) {
        const a = find(i);
        const b = find(n + j);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  const groups = new Map<number, { rows: number[]; cols: number[] }>();
  for (let k = 0; k < n + m; k++) {
    const root = find(k);
    let g = groups.get(root);
    if (!g) {
      g = { rows: [], cols: [] };
      groups.set(root, g);
    }
    if (k < n) g.rows.push(k);
    else g.cols.push(k - n);
  }
  const out: [number, number][] = [];
  for (const { rows, cols } of groups.values()) {
    if (rows.length === 0 || cols.length === 0) continue;
    const sub = rows.map((i) => cols.map((j) => cost[i]?.[j] ?? Infinity));
    for (const [r, c] of solveExtended(sub, limit)) out.push([rows[r] ?? -1, cols[c] ?? -1]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** The extended square problem (real pairs, then a dummy per row and per column) solved whole. */
function solveExtended(cost: readonly (readonly number[])[], limit: number): [number, number][] {
  const n = cost.length;
  const m = cost[0]?.length ?? 0;
  const half = limit / 2;
  // Any real pair above the limit loses to the two dummies, so clamping keeps the solver finite.
  const big = limit + 1;
  const at = (i: number, j: number): number => {
    if (i < n && j < m) {
      const c = cost[i]?.[j] ?? Infinity;
      return Number.isFinite(c) ? Math.min(c, big) : big;
    }
    if (i >= n && j >= m) return 0;
    return half;
  };
  const match = hungarian(n + m, at);
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const j = match[i] ?? -1;
    if (j >= 0 && j < m && (cost[i]?.[j] ?? Infinity) < limit) out.push([i, j]);
  }
  return out;
}

/**
 * Hungarian algorithm (shortest augmenting paths with potentials), O(size³), on a square matrix
 * given as a function. Returns for each row the column assigned.
 */
function hungarian(size: number, at: (i: number, j: number) => number): number[] {
  const u = new Float64Array(size + 1);
  const v = new Float64Array(size + 1);
  const p = new Int32Array(size + 1); // p[j]: row (1-based) assigned to column j
  const way = new Int32Array(size + 1);
  const minv = new Float64Array(size + 1);
  const used = new Uint8Array(size + 1);
  for (let i = 1; i <= size; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0] ?? 0;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= size; j++) {
        if (used[j]) continue;
        const cur = at(i0 - 1, j - 1) - (u[i0] ?? 0) - (v[j] ?? 0);
        if (cur < (minv[j] ?? Infinity)) {
          minv[j] = cur;
          way[j] = j0;
        }
        if ((minv[j] ?? Infinity) < delta) {
          delta = minv[j] ?? Infinity;
          j1 = j;
        }
      }
      for (let j = 0; j <= size; j++) {
        if (used[j]) {
          const r = p[j] ?? 0;
          u[r] = (u[r] ?? 0) + delta;
          v[j] = (v[j] ?? 0) - delta;
        } else {
          minv[j] = (minv[j] ?? 0) - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0] ?? 0;
      p[j0] = p[j1] ?? 0;
      j0 = j1;
    } while (j0 !== 0);
  }
  const rowToCol = new Array<number>(size).fill(-1);
  for (let j = 1; j <= size; j++) {
    const r = p[j] ?? 0;
    if (r > 0) rowToCol[r - 1] = j - 1;
  }
  return rowToCol;
}

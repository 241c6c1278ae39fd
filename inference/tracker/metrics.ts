import { iou, linearAssignment } from './assignment.js';
import type { Box } from './types.js';

/** One frame of an evaluation: ground-truth objects and tracker hypotheses, each with an id. */
export interface EvalFrame {
  readonly gt: readonly { readonly id: number; readonly box: Box }[];
  readonly hyp: readonly { readonly id: number; readonly box: Box }[];
}

export interface Mota {
  readonly mota: number;
  readonly gt: number;
  readonly matches: number;
  readonly fn: number;
  readonly fp: number;
  readonly idsw: number;
}

export interface Idf1 {
  readonly idf1: number;
  readonly idp: number;
  readonly idr: number;
  readonly idtp: number;
  readonly gt: number;
  readonly hyp: number;
}

/**
 * CLEAR-MOT accuracy (Bernardin & Stiefelhagen, 2008): MOTA = 1 − (FN + FP + IDSW) / GT.
 * A pair matches at IoU ≥ minIou. A ground truth keeps last frame's hypothesis while it still
 * matches (so a better-overlapping newcomer is not an id switch); the rest are matched by a
 * minimum-cost assignment. An id switch is a ground truth matched to a hypothesis other than
 * the one it was last matched to.
 */
export function mota(frames: readonly EvalFrame[], minIou = 0.5): Mota {
  const last = new Map<number, number>();
  let gt = 0;
  let matches = 0;
  let fp = 0;
  let idsw = 0;
  for (const f of frames) {
    gt += f.gt.length;
    const pairs = new Map<number, number>(); // gt index → hyp index
    const hypTaken = new Set<number>();
    f.gt.forEach((g, gi) => {
      const prev = last.get(g.id);
      if (prev === undefined) return;
      const hi = f.hyp.findIndex((h, k) => h.id === prev && !hypTaken.has(k));
      const h = f.hyp[hi];
      if (h && iou(g.box, h.box) >= minIou) {
        pairs.set(gi, hi);
        hypTaken.add(hi);
      }
    });
    const gRest = f.gt.map((_, i) => i).filter((i) => !pairs.has(i));
    const hRest = f.hyp.map((_, i) => i).filter((i) => !hypTaken.has(i));
    const cost = gRest.map((gi) => hRest.map((hi) => distance(f, gi, hi, minIou)));
    for (const [r, c] of linearAssignment(cost, 1 - minIou + 1e-9)) {
      const gi = gRest[r];
      const hi = hRest[c];
      if (gi !== undefined && hi !== undefined) pairs.set(gi, hi);
    }
    for (const [gi, hi] of pairs) {
      const g = f.gt[gi];
      const h = f.hyp[hi];
      if (!g || !h) continue;
      const prev = last.get(g.id);
      if (prev !== undefined && prev !== h.id) idsw++;
      last.set(g.id, h.id);
    }
    matches += pairs.size;
    fp += f.hyp.length - pairs.size;
  }
  const fn = gt - matches;
  return { mota: gt === 0 ? 1 : 1 - (fn + fp + idsw) / gt, gt, matches, fn, fp, idsw };
}

function distance(f: EvalFrame, gi: number, hi: number, minIou: number): number {
  const g = f.gt[gi];
  const h = f.hyp[hi];
  if (!g || !h) return Infinity;
  const o = iou(g.box, h.box);
  return o >= minIou ? 1 - o : Infinity;
}

/**
 * Identity F1 (Ristani et al., 2016): ground-truth ids and hypothesis ids are paired once for the
 * whole sequence, to maximise the frames where a pair overlaps (IoU ≥ minIou) — IDTP. Then
 * IDF1 = 2·IDTP / (GT detections + hypothesis detections).
 */
export function idf1(frames: readonly EvalFrame[], minIou = 0.5): Idf1 {
  const gtIds = new Map<number, number>();
  const hypIds = new Map<number, number>();
  const overlap = new Map<string, number>();
  let gt = 0;
  let hyp = 0;
  const index = (m: Map<number, number>, id: number): number => {
    let k = m.get(id);
    if (k === undefined) {
      k = m.size;
      m.set(id, k);
    }
    return k;
  };
  for (const f of frames) {
    gt += f.gt.length;
    hyp += f.hyp.length;
    for (const g of f.gt) {
      const gk = index(gtIds, g.id);
      for (const h of f.hyp) {
        const hk = index(hypIds, h.id);
        if (iou(g.box, h.box) < minIou) continue;
        const key = `${gk}/${hk}`;
        overlap.set(key, (overlap.get(key) ?? 0) + 1);
      }
    }
    for (const h of f.hyp) index(hypIds, h.id);
  }
  // Maximise total overlap: minimise its negative; an unpaired id costs 0.
  const cost = [...gtIds.values()].map((gk) =>
    [...hypIds.values()].map((hk) => -(overlap.get(`${gk}/${hk}`) ?? 0)),
  );
  let idtp = 0;
  for (const [r, c] of linearAssignment(cost, 0)) idtp -= cost[r]?.[c] ?? 0;
  const denom = gt + hyp;
  return {
    idf1: denom === 0 ? 1 : (2 * idtp) / denom,
    idp: hyp === 0 ? 1 : idtp / hyp,
    idr: gt === 0 ? 1 : idtp / gt,
    idtp,
    gt,
    hyp,
  };
}

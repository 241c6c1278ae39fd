import type { Candidate } from './decoders/index.js';

export function iou(a: Candidate, b: Candidate): number {
  const ix = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const iy = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = ix * iy;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Class-aware greedy NMS: best score first; a box is suppressed when its IoU with a kept box of
 * the same class is greater than `iouThreshold`. Stable for equal scores (input order).
 */
export function nms(candidates: readonly Candidate[], iouThreshold: number): Candidate[] {
  const order = candidates.map((c, i) => ({ c, i })).sort((a, b) => b.c.score - a.c.score || a.i - b.i);
  const kept: Candidate[] = [];
  for (const { c } of order) {
    if (!kept.some((k) => k.cls === c.cls && iou(k, c) > iouThreshold)) kept.push(c);
  }
  return kept;
}

import type { Candidate, Decoder } from './types.js';

/** End-to-end layout (NMS inside the model, YOLOv10-style): `B x K x 6` rows x1, y1, x2, y2, score, class. */
export const decodeEnd2end: Decoder = (data, dims, b, opts) => {
  const k = dims[1] ?? 0;
  const out: Candidate[] = [];
  for (let i = 0; i < k; i++) {
    const o = (b * k + i) * 6;
    const score = data[o + 4] ?? 0;
    const cls = Math.round(data[o + 5] ?? -1);
    if (cls < 0 || !(score > (opts.thresholds[cls] ?? 1))) continue; // padding rows fall out here
    out.push({
      x1: data[o] ?? 0,
      y1: data[o + 1] ?? 0,
      x2: data[o + 2] ?? 0,
      y2: data[o + 3] ?? 0,
      score,
      cls,
    });
  }
  return out;
};

import type { Candidate, Decoder } from './types.js';

/** YOLOv5 layout: `B x N x (5 + nc)`, per row cx, cy, w, h, objectness, class scores; score = obj × cls. */
export const decodeYolov5: Decoder = (data, dims, b, opts) => {
  const n = dims[1] ?? 0;
  const stride = dims[2] ?? 0;
  const nc = stride - 5;
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    const o = (b * n + i) * stride;
    const obj = data[o + 4] ?? 0;
    let best = -1;
    let score = -Infinity;
    for (let c = 0; c < nc; c++) {
      const s = obj * (data[o + 5 + c] ?? 0);
      if (s > score) {
        score = s;
        best = c;
      }
    }
    if (best < 0 || !(score > (opts.thresholds[best] ?? 1))) continue;
    const cx = data[o] ?? 0;
    const cy = data[o + 1] ?? 0;
    const w = data[o + 2] ?? 0;
    const h = data[o + 3] ?? 0;
    out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, cls: best });
  }
  return out;
};

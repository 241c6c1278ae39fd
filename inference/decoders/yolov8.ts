import type { Candidate, Decoder } from './types.js';

/**
 * Ultralytics YOLOv8 / YOLO11 layout: `B x (4 + nc) x N`, per anchor cx, cy, w, h (input pixels)
 * then nc sigmoid class scores, no objectness. Channel-major, so one anchor's values are strided.
 */
export const decodeYolov8: Decoder = (data, dims, b, opts) => {
  const channels = dims[1] ?? 0;
  const n = dims[2] ?? 0;
  const nc = channels - 4;
  const base = b * channels * n;
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    let best = -1;
    let score = -Infinity;
    for (let c = 0; c < nc; c++) {
      const s = data[base + (4 + c) * n + i] ?? 0;
      if (s > score) {
        score = s;
        best = c;
      }
    }
    if (best < 0 || !(score > (opts.thresholds[best] ?? 1))) continue;
    const cx = data[base + i] ?? 0;
    const cy = data[base + n + i] ?? 0;
    const w = data[base + 2 * n + i] ?? 0;
    const h = data[base + 3 * n + i] ?? 0;
    out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, cls: best });
  }
  return out;
};

import type { ModelManifest } from '../models/index.js';

/** A frame whose size is not the model's input size (a camera configured for another model). */
export class FrameSizeError extends Error {}

/**
 * Interleaved RGB24 (HWC, the layout ffmpeg's rawvideo rgb24 gives) → planar float32 CHW with the
 * manifest's normalisation, written into `out` at image `index` of a batch tensor.
 */
export function rgbToTensor(
  rgb: Uint8Array,
  input: ModelManifest['input'],
  out: Float32Array,
  index: number,
): void {
  const { width, height, scale, mean, std, channels } = input;
  const plane = width * height;
  if (rgb.length !== plane * 3) {
    throw new Error(
      `frame has ${String(rgb.length)} bytes; the model wants ${String(width)}x${String(height)} RGB`,
    );
  }
  const base = index * 3 * plane;
  const order = channels === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  for (let c = 0; c < 3; c++) {
    const src = order[c] ?? c;
    const m = mean[c] ?? 0;
    const s = std[c] ?? 1;
    const dst = base + c * plane;
    for (let p = 0; p < plane; p++) out[dst + p] = ((rgb[p * 3 + src] ?? 0) * scale - m) / s;
  }
}

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
  const { width, height, channels } = input;
  const plane = width * height;
  if (rgb.length !== plane * 3) {
    throw new Error(
      `frame has ${String(rgb.length)} bytes; the model wants ${String(width)}x${String(height)} RGB`,
    );
  }
  const base = index * 3 * plane;
  const [t0, t1, t2] = lookupTables(input);
  // Output plane c reads source channel order[c] (BGR models swap the first and last).
  const [o0, o1, o2] = channels === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  const p0 = out.subarray(base, base + plane);
  const p1 = out.subarray(base + plane, base + 2 * plane);
  const p2 = out.subarray(base + 2 * plane, base + 3 * plane);
  // One pass over the pixels, three planes out, table lookups instead of arithmetic per byte:
  // a third of the time of the plain per-channel loop (it showed at 20 frames/s).
  for (let p = 0, q = 0; p < plane; p++, q += 3) {
    p0[p] = t0[rgb[q + o0] as number] as number;
    p1[p] = t1[rgb[q + o1] as number] as number;
    p2[p] = t2[rgb[q + o2] as number] as number;
  }
}

type Tables = readonly [Float32Array, Float32Array, Float32Array];
const tables = new WeakMap<ModelManifest['input'], Tables>();

/** Per output channel c: byte v → (v × scale − mean[c]) / std[c], for every byte value. */
function lookupTables(input: ModelManifest['input']): Tables {
  const known = tables.get(input);
  if (known) return known;
  const make = (c: number): Float32Array =>
    Float32Array.from(
      { length: 256 },
      (_, v) => (v * input.scale - (input.mean[c] ?? 0)) / (input.std[c] ?? 1),
    );
  const made: Tables = [make(0), make(1), make(2)];
  tables.set(input, made);
  return made;
}

import type { ModelManifest } from '../models/index.js';

/** A frame whose size is not the model's input size (a camera configured for another model). */
export class FrameSizeError extends Error {}

/** Throws FrameSizeError unless `rgb` holds exactly one RGB frame at the model's input size. */
export function checkFrameSize(rgb: Uint8Array, input: ModelManifest['input']): void {
  const { width, height } = input;
  if (rgb.length !== width * height * 3) {
    throw new FrameSizeError(
      `frame has ${String(rgb.length)} bytes; the model wants ${String(width)}x${String(height)} RGB`,
    );
  }
}

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
  checkFrameSize(rgb, input);
  const base = index * 3 * plane;
  const tabs = lookupTables(input);
  // Source channel s (R, G, B) goes to output plane at[s]: BGR models swap the first and last.
  const at = channels === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  const [r, g, b] = at.map((c) => base + c * plane) as [number, number, number];
  const [tr, tg, tb] = at.map((c) => tabs[c]) as [Float32Array, Float32Array, Float32Array];
  const to: Planes = { out, r, g, b, tr, tg, tb };
  if (LITTLE_ENDIAN && rgb.byteOffset % 4 === 0 && plane % 4 === 0) {
    fourPixelsAtATime(new Uint32Array(rgb.buffer, rgb.byteOffset, (plane * 3) / 4), to);
  } else onePixelAtATime(rgb, to);
}

/** Where the R, G and B of pixel 0 go in `out` (the next pixels follow), and their tables. */
interface Planes {
  readonly out: Float32Array;
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly tr: Float32Array;
  readonly tg: Float32Array;
  readonly tb: Float32Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Writes pixel p's R, G and B at out[r + p], out[g + p], out[b + p] through the tables. */
function onePixelAtATime(rgb: Uint8Array, to: Planes): void {
  const { out, tr, tg, tb } = to;
  let { r, g, b } = to;
  for (let q = 0; q < rgb.length; q += 3) {
    out[r++] = tr[rgb[q] as number] as number;
    out[g++] = tg[rgb[q + 1] as number] as number;
    out[b++] = tb[rgb[q + 2] as number] as number;
  }
}

/**
 * The same for a whole number of 4-pixel groups, read as three 32-bit words each (little-endian):
 * about 2.5× faster than byte reads (0.19 against 0.49 ms for a 320×320 frame), for every frame.
 */
function fourPixelsAtATime(words: Uint32Array, to: Planes): void {
  const { out, tr, tg, tb } = to;
  let { r, g, b } = to;
  for (let i = 0; i < words.length; i += 3) {
    const w0 = words[i] as number;
    const w1 = words[i + 1] as number;
    const w2 = words[i + 2] as number;
    out[r++] = tr[w0 & 255] as number;
    out[g++] = tg[(w0 >>> 8) & 255] as number;
    out[b++] = tb[(w0 >>> 16) & 255] as number;
    out[r++] = tr[w0 >>> 24] as number;
    out[g++] = tg[w1 & 255] as number;
    out[b++] = tb[(w1 >>> 8) & 255] as number;
    out[r++] = tr[(w1 >>> 16) & 255] as number;
    out[g++] = tg[w1 >>> 24] as number;
    out[b++] = tb[w2 & 255] as number;
    out[r++] = tr[(w2 >>> 8) & 255] as number;
    out[g++] = tg[(w2 >>> 16) & 255] as number;
    out[b++] = tb[w2 >>> 24] as number;
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

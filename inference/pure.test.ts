import { describe, expect, it } from 'vitest';
import { decodeEnd2end } from './decoders/end2end.js';
import { decodeYolov5 } from './decoders/yolov5.js';
import { decodeYolov8 } from './decoders/yolov8.js';
import { letterbox, toSource, toView } from './letterbox.js';
import { iou, nms } from './nms.js';
import { rgbToTensor } from './preprocess.js';

const c = (x1: number, y1: number, x2: number, y2: number, score: number, cls = 0) => ({
  x1,
  y1,
  x2,
  y2,
  score,
  cls,
});

describe('decoders on hand-made tensors', () => {
  it('yolov8: channel-major, best class, strict threshold', () => {
    // 2 classes, 3 anchors: rows cx, cy, w, h, s0, s1
    const data = Float32Array.from([10, 20, 30, 10, 20, 30, 4, 4, 4, 2, 2, 2, 0.9, 0.1, 0.3, 0.2, 0.8, 0.3]);
    const out = decodeYolov8(data, [1, 6, 3], 0, { thresholds: [0.5, 0.5] });
    expect(out).toEqual([c(8, 9, 12, 11, 0.8999999761581421, 0), c(18, 19, 22, 21, 0.800000011920929, 1)]);
  });

  it('yolov5: row-major, score = objectness × class', () => {
    const data = Float32Array.from([50, 50, 10, 10, 0.5, 0.9, 0.2, 5, 5, 2, 2, 0.9, 0.1, 0.5]);
    const out = decodeYolov5(data, [1, 2, 7], 0, { thresholds: [0.4, 0.4] });
    expect(out).toHaveLength(2);
    expect(out[0]?.score).toBeCloseTo(0.45, 5);
    expect(out[1]).toMatchObject({ cls: 1, x1: 4, y1: 4 });
  });

  it('end2end: corners as given; padding rows dropped; second image of a batch', () => {
    const img0 = [1, 2, 3, 4, 0.9, 2, 0, 0, 0, 0, 0, 0];
    const img1 = [5, 6, 7, 8, 0.7, 1, 0, 0, 0, 0, 0, -1];
    const out = decodeEnd2end(Float32Array.from([...img0, ...img1]), [2, 2, 6], 1, {
      thresholds: [0.5, 0.5, 0.5],
    });
    expect(out).toEqual([c(5, 6, 7, 8, 0.699999988079071, 1)]);
  });
});

describe('NMS', () => {
  it('keeps the best box, suppresses same-class overlaps only, and is strict at the threshold', () => {
    const a = c(0, 0, 10, 10, 0.9);
    const b = c(1, 0, 11, 10, 0.8); // IoU with a = 90/110
    const other = c(1, 0, 11, 10, 0.7, 1);
    const far = c(50, 50, 60, 60, 0.6);
    expect(nms([b, far, a, other], 0.5)).toEqual([a, other, far]);
    expect(iou(a, b)).toBeCloseTo(90 / 110);
    expect(nms([a, b], 90 / 110)).toEqual([a, b]); // suppress only when IoU > threshold
  });
});

describe('letterbox', () => {
  it('maps model boxes back to source pixels for a 1920x1080 frame in 640x640', () => {
    const lb = letterbox(1920, 1080, 640, 640);
    expect(lb.scale).toBeCloseTo(1 / 3);
    expect(lb.padY).toBe(140);
    expect(toSource(lb, { x1: 64, y1: 140 + 36, x2: 128, y2: 140 + 72 })).toEqual({
      x: 192,
      y: 108,
      w: 192,
      h: 108,
    });
  });

  it('scales boxes of a sub stream to the main picture, each axis on its own', () => {
    const box = { x: 70.4, y: 57.6, w: 35.2, h: 28.8 };
    // A 704x576 sub stream of a 1920x1080 camera (anamorphic: 16:9 shown, 11:9 stored).
    const main = toView(box, { width: 704, height: 576 }, { width: 1920, height: 1080 });
    expect(main.x).toBeCloseTo(192);
    expect(main.y).toBeCloseTo(108);
    expect(main.w).toBeCloseTo(96);
    expect(main.h).toBeCloseTo(54);
  });

  it('clips to the image', () => {
    const lb = letterbox(100, 100, 100, 100);
    expect(toSource(lb, { x1: -5, y1: 90, x2: 20, y2: 120 })).toEqual({ x: 0, y: 90, w: 20, h: 10 });
  });
});

/** A manifest's input section: plain 0..1 scaling. */
const modelInput = (width: number, height: number, channels: 'rgb' | 'bgr' = 'rgb') => ({
  width,
  height,
  channels,
  scale: 1 / 255,
  mean: [0, 0, 0] as [number, number, number],
  std: [1, 1, 1] as [number, number, number],
  letterboxPad: 114,
});

describe('preprocess', () => {
  it('HWC uint8 → CHW float with scale/mean/std, optionally BGR', () => {
    const rgb = Uint8Array.from([255, 0, 51, 0, 255, 102]); // 2x1 image
    const input = modelInput(2, 1);
    const out = new Float32Array(12);
    rgbToTensor(rgb, input, out, 1);
    expect([...out.slice(6)].map((v) => Math.round(v * 255))).toEqual([255, 0, 0, 255, 51, 102]);
    rgbToTensor(rgb, { ...input, channels: 'bgr' }, out, 0);
    expect([...out.slice(0, 6)].map((v) => Math.round(v * 255))).toEqual([51, 102, 0, 255, 255, 0]);
    expect(() => {
      rgbToTensor(new Uint8Array(5), input, out, 0);
    }).toThrow(/2x1 RGB/);
    // Per-channel mean and std follow the output channel, also when the model reads BGR.
    const mean = [0.1, 0.2, 0.3] as [number, number, number];
    const std = [0.5, 1, 2] as [number, number, number];
    const want = (c: number, ...vs: number[]): number[] =>
      vs.map((v) => Math.fround((v / 255 - (mean[c] ?? 0)) / (std[c] ?? 1)));
    rgbToTensor(rgb, { ...input, mean, std }, out, 0);
    expect([...out.slice(0, 6)]).toEqual([...want(0, 255, 0), ...want(1, 0, 255), ...want(2, 51, 102)]);
    rgbToTensor(rgb, { ...input, mean, std, channels: 'bgr' }, out, 0);
    expect([...out.slice(0, 6)]).toEqual([...want(0, 51, 102), ...want(1, 0, 255), ...want(2, 255, 0)]);
  });

  it('reads four pixels per three words where it can, with the same result as byte by byte', () => {
    const input = {
      ...modelInput(8, 4, 'bgr'),
      mean: [0.1, 0.2, 0.3] as [number, number, number],
      std: [0.5, 1, 2] as [number, number, number],
    };
    const pixels = 8 * 4;
    const bytes = Uint8Array.from({ length: pixels * 3 + 1 }, (_, i) => (i * 97 + 13) % 256);
    const aligned = bytes.subarray(0, pixels * 3); // offset 0: the word path
    const unaligned = bytes.subarray(1); // offset 1: byte by byte
    const fast = new Float32Array(pixels * 3 * 2);
    const slow = new Float32Array(pixels * 3 * 2);
    rgbToTensor(aligned, input, fast, 1);
    const copy = new Uint8Array(pixels * 3 + 1);
    copy.set(aligned, 1);
    rgbToTensor(copy.subarray(1), input, slow, 1); // the same bytes at offset 1: byte by byte
    expect(fast).toEqual(slow);
    // Pixel 5 of the aligned frame, by hand: BGR puts its blue byte in plane 0.
    const [r, g, b] = [aligned[15], aligned[16], aligned[17]] as [number, number, number];
    const at = (plane: number) => fast[pixels * 3 + plane * pixels + 5];
    expect(at(0)).toBe(Math.fround((b / 255 - 0.1) / 0.5));
    expect(at(1)).toBe(Math.fround((g / 255 - 0.2) / 1));
    expect(at(2)).toBe(Math.fround((r / 255 - 0.3) / 2));
    const shifted = new Float32Array(pixels * 3);
    rgbToTensor(unaligned, input, shifted, 0);
    expect(shifted[pixels * 2]).toBe(Math.fround(((unaligned[0] as number) / 255 - 0.3) / 2));
  });
});

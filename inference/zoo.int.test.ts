import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPUT_LAYOUTS, ZOO, readManifest } from '../models/index.js';
import { DECODERS, LAYOUT_HAS_NMS } from './decoders/index.js';
import { nms } from './nms.js';
import { SessionPool } from './session-pool.js';

interface Expected {
  output: { shape: number[]; data: number[] };
  decoded: { conf: number; iou: number; detections: { box: number[]; score: number; class: number }[] };
}

function zooInput(): Float32Array {
  const b = readFileSync(ZOO.input);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

describe('decoders against the format zoo (real ONNX files in onnxruntime-node worker threads)', () => {
  it.each(OUTPUT_LAYOUTS.map((l) => [l]))('%s: raw output and decoded boxes match', async (layout) => {
    const z = ZOO[layout];
    const expected = JSON.parse(readFileSync(z.expected, 'utf8')) as Expected;
    const pool = await SessionPool.open({ manifestPath: z.manifest, workers: 1, intraOpThreads: 1 });
    try {
      const r = await pool.run(1, (x) => {
        x.set(zooInput());
      });
      expect(r.dims).toEqual(expected.output.shape);
      expected.output.data.forEach((v, i) => {
        expect(Math.abs((r.output[i] ?? NaN) - v)).toBeLessThan(1e-4);
      });
      const m = readManifest(z.manifest);
      const conf = expected.decoded.conf;
      const candidates = DECODERS[layout](r.output, r.dims, 0, { thresholds: m.classes.map(() => conf) });
      const kept = LAYOUT_HAS_NMS[layout] ? candidates : nms(candidates, expected.decoded.iou);
      const got = [...kept].sort((a, b) => b.score - a.score);
      expect(got.length).toBe(expected.decoded.detections.length);
      expected.decoded.detections.forEach((d, i) => {
        const g = got[i];
        expect(g?.cls).toBe(d.class);
        expect(g?.score).toBeCloseTo(d.score, 4);
        [g?.x1, g?.y1, g?.x2, g?.y2].forEach((v, k) => {
          expect(v).toBeCloseTo(d.box[k] ?? NaN, 2);
        });
      });
    } finally {
      await pool.close();
    }
  });

  it('a model that disagrees with its manifest fails to load with a coded error', async () => {
    // The yolov5 file under the yolov8 manifest's name: hash and layout no longer agree.
    const dir = mkdtempSync(join(tmpdir(), 'mw-zoo-'));
    copyFileSync(ZOO.yolov5.manifest.replace('.manifest.json', '.onnx'), join(dir, 'yolov8.onnx'));
    const m = JSON.parse(readFileSync(ZOO.yolov8.manifest, 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'm.json'), JSON.stringify(m));
    await expect(
      SessionPool.open({ manifestPath: join(dir, 'm.json'), workers: 1, intraOpThreads: 1 }),
    ).rejects.toMatchObject({
      code: 'MW_MODEL_MISMATCH',
    });
  });
});

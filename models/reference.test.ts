import { existsSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_MODEL, classThreshold, openModel } from './index.js';

describe('shipped reference model (muckwatch-v1)', () => {
  it('loads through its manifest: hash, 320 px input, YOLOv8 layout, 7 classes', async () => {
    const model = await openModel(REFERENCE_MODEL);
    try {
      const m = model.manifest;
      expect(m.output.layout).toBe('yolov8');
      expect(m.classes).toEqual([
        'truck_covered',
        'truck_uncovered',
        'dust',
        'debris_pile',
        'vending_stall',
        'person',
        'car',
      ]);
      // 320 px: 40² + 20² + 10² cells, 4 box values + 7 class scores each.
      expect(model.outputShape).toEqual([1, 11, 2100]);
      expect(m.detections).toEqual({
        truck_uncovered: 'uncovered_load',
        dust: 'dust',
        debris_pile: 'dumping',
        vending_stall: 'street_vending',
      });
      for (const c of m.classes) expect(classThreshold(m, c)).toBeGreaterThan(0);
      expect(m.metrics?.split).toBe('test');
      expect(Object.keys(m.metrics?.perClass ?? {})).toEqual(m.classes);
    } finally {
      await model.session.release();
    }
  });

  it('stays small and ships its card and fine-tuning weights', () => {
    const dir = dirname(REFERENCE_MODEL);
    expect(statSync(join(dir, 'model.onnx')).size).toBeLessThan(5_000_000);
    expect(existsSync(join(dir, 'MODEL_CARD.md'))).toBe(true);
    expect(existsSync(join(dir, 'weights.pt'))).toBe(true);
  });
});

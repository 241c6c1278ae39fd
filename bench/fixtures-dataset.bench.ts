/**
 * Synthetic YOLO dataset rendering: 640×640 images (scene, ground truth, JPEG, label file) per
 * second with the default settings of `npm run fixtures:dataset`, on this machine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Benchmark } from './record.js';
import { generateDataset } from '../fixtures/index.js';

const COUNT = 600;

const bench: Benchmark = {
  name: 'fixtures-dataset',
  async run() {
    const out = await mkdtemp(path.join(tmpdir(), 'mw-bench-ds-'));
    try {
      const s = await generateDataset({ out, count: COUNT, size: 640, seed: 'bench' });
      return {
        metric: `${String(COUNT)} images 640x640 (render + JPEG + labels)`,
        value: Math.round((COUNT / s.seconds) * 10) / 10,
        unit: 'images/s',
        baseline: null,
        target: '≥ 15 images/s (thousands of images in a few minutes on 2 cores)',
      };
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  },
};
export default bench;

/**
 * Accuracy of the shipped reference detector on the held-out synthetic test split: the ONNX file
 * run in onnxruntime-node (the runtime that ships), scored by the training pipeline's COCO-style
 * evaluator (`mw.py eval-onnx`: AP per class at IoU 0.5 and 0.5:0.95). The dataset is rendered
 * first when missing (`npm run models:dataset`, about a minute); its test split is the same 518
 * images the model card reports.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateDataset } from '../fixtures/index.js';
import { readManifest, REFERENCE_MODEL } from '../models/index.js';
import type { Benchmark } from './record.js';

const DATASET = '.data/models/synth-v1';
const PYTHON = '/usr/bin/python3';
const CLASS_TARGET = 0.85;
const MEAN_TARGET = 0.9;

interface Scores {
  readonly images: number;
  readonly map50: number;
  readonly map: number;
  /** null for a class without ground truth in the split. */
  readonly perClass: Record<string, { ap50: number | null; ap: number | null }>;
}

const bench: Benchmark = {
  name: 'model-accuracy',
  async run() {
    const manifest = readManifest(REFERENCE_MODEL);
    if (!existsSync(join(DATASET, 'images', 'test'))) {
      process.stdout.write(`  rendering the reference dataset into ${DATASET}…\n`);
      // The arguments of `npm run models:dataset`: the same seed gives the same test split.
      await generateDataset({ out: DATASET, count: 5000, size: 320, seed: 'muckwatch-v1' });
    }
    const dir = mkdtempSync(join(tmpdir(), 'mw-accuracy-'));
    try {
      const out = join(dir, 'scores.json');
      const args = [
        'models/train/mw.py',
        'eval-onnx',
        '--model',
        join(dirname(REFERENCE_MODEL), manifest.file),
        '--data',
        join(DATASET, 'data.yaml'),
        '--split',
        'test',
        '--imgsz',
        String(manifest.input.width),
        '--json',
        out,
      ];
      const run = spawnSync(PYTHON, args, { stdio: ['ignore', 'inherit', 'inherit'] });
      if (run.status !== 0) throw new Error(`mw.py eval-onnx failed (exit ${String(run.status)})`);
      const s = JSON.parse(readFileSync(out, 'utf8')) as Scores;
      const per = Object.entries(s.perClass).flatMap(([k, v]) =>
        v.ap50 === null ? [] : [[k, v.ap50] as const],
      );
      const below = per.filter(([, v]) => v < CLASS_TARGET).map(([k, v]) => `${k} ${v.toFixed(3)}`);
      return {
        metric:
          `${manifest.name} ${manifest.version} mAP@0.5 on ${String(s.images)} held-out synthetic test images, ` +
          `onnxruntime-node (mAP@0.5:0.95 ${s.map.toFixed(3)}; ` +
          (below.length ? `below ${String(CLASS_TARGET)}: ${below.join(', ')}` : 'every class ≥ 0.85') +
          ')',
        value: Number(s.map50.toFixed(4)),
        unit: 'mAP@0.5',
        baseline: null,
        target: `mAP@0.5 ≥ ${String(MEAN_TARGET)}, every class ≥ ${String(CLASS_TARGET)}`,
        details: {
          model: `${manifest.name} ${manifest.version}`,
          images: s.images,
          map50: Number(s.map50.toFixed(4)),
          map50_95: Number(s.map.toFixed(4)),
          ...Object.fromEntries(per.map(([k, v]) => [`${k}_ap50`, Number(v.toFixed(4))])),
        },
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;

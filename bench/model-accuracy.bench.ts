/**
 * Accuracy of the shipped reference detector on the held-out synthetic test split: the ONNX file
 * run in onnxruntime-node (the runtime that ships), scored by the training pipeline's COCO-style
 * evaluator (`mw.py eval-onnx`: AP per class at IoU 0.5 and 0.5:0.95). The dataset is rendered
 * first when missing (`npm run models:dataset`, about a minute); its test split is the same 518
 * images the model card reports. The recorded value scores it as the model was trained, with
 * regions to ignore (plumes and piles at the edge of visibility); the same images with plain labels
 * (every such object a label or background) are scored too and reported beside it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { generateDataset, LABEL_RULES_VERSION, labelRulesOf } from '../fixtures/index.js';
import { readManifest, REFERENCE_MODEL } from '../models/index.js';
import type { Benchmark } from './record.js';

const DATASET = '.data/models/synth-v1';
/** The same images labelled without regions to ignore. */
const PLAIN = '.data/models/synth-v1-plain';
const PYTHON = '/usr/bin/python3';
const CLASS_TARGET = 0.85;
const MEAN_TARGET = 0.9;

interface Scores {
  readonly images: number;
  readonly ignoreRegions: number;
  readonly map50: number;
  readonly map: number;
  /** null for a class without ground truth in the split. */
  readonly perClass: Record<string, { ap50: number | null; ap: number | null }>;
  /** Bootstrap interval of AP@0.5 over the test images (when asked for). */
  readonly interval?: {
    readonly map50: readonly [number, number];
    readonly ap50: Record<string, readonly [number, number] | null>;
  };
}

/** Resamples of the test images for the interval of the recorded score. */
const RESAMPLES = 200;

/** The arguments of `npm run models:dataset`: the same seed gives the same test split. */
async function ensureDataset(out: string, ignoreBand: boolean): Promise<void> {
  const yaml = join(out, 'data.yaml');
  const current = existsSync(yaml) && labelRulesOf(readFileSync(yaml, 'utf8')) === LABEL_RULES_VERSION;
  if (current && existsSync(join(out, 'images', 'test'))) return;
  process.stdout.write(
    `  rendering the reference dataset into ${out} (label rules ${String(LABEL_RULES_VERSION)})…\n`,
  );
  await generateDataset({ out, count: 5000, size: 320, seed: 'muckwatch-v1', ignoreBand });
}

/** `mw.py eval-onnx` of the shipped model on one dataset's test split. */
function score(model: string, dataset: string, size: number, dir: string, resamples = 0): Scores {
  const out = join(dir, `${basename(dataset)}.json`);
  const args = ['models/train/mw.py', 'eval-onnx', '--model', model, '--data', join(dataset, 'data.yaml')];
  args.push('--split', 'test', '--imgsz', String(size), '--json', out);
  if (resamples) args.push('--bootstrap', String(resamples));
  const run = spawnSync(PYTHON, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) throw new Error(`mw.py eval-onnx failed (exit ${String(run.status)})`);
  return JSON.parse(readFileSync(out, 'utf8')) as Scores;
}

const perClassAp50 = (s: Scores): (readonly [string, number])[] =>
  Object.entries(s.perClass).flatMap(([k, v]) => (v.ap50 === null ? [] : [[k, v.ap50] as const]));

const span = (v: readonly [number, number]): [number, number] => [
  Number(v[0].toFixed(4)),
  Number(v[1].toFixed(4)),
];

/** The bootstrap's 95 % intervals as details: the mean's and each class's. */
const intervals = (s: Scores): Record<string, [number, number]> =>
  s.interval
    ? {
        map50_ci95: span(s.interval.map50),
        ...Object.fromEntries(
          Object.entries(s.interval.ap50).flatMap(([k, v]) => (v ? [[`${k}_ap50_ci95`, span(v)]] : [])),
        ),
      }
    : {};

const bench: Benchmark = {
  name: 'model-accuracy',
  async run() {
    const manifest = readManifest(REFERENCE_MODEL);
    await ensureDataset(DATASET, true);
    await ensureDataset(PLAIN, false);
    const dir = mkdtempSync(join(tmpdir(), 'mw-accuracy-'));
    try {
      const model = join(dirname(REFERENCE_MODEL), manifest.file);
      const s = score(model, DATASET, manifest.input.width, dir, RESAMPLES);
      const plain = score(model, PLAIN, manifest.input.width, dir);
      const per = perClassAp50(s);
      const below = per.filter(([, v]) => v < CLASS_TARGET).map(([k, v]) => `${k} ${v.toFixed(3)}`);
      return {
        metric:
          `${manifest.name} ${manifest.version} mAP@0.5 on ${String(s.images)} held-out synthetic test images ` +
          `(${String(s.ignoreRegions)} regions to ignore), onnxruntime-node (mAP@0.5:0.95 ${s.map.toFixed(3)}; ` +
          (s.interval
            ? `95 % interval over the images ${s.interval.map50.map((v) => v.toFixed(3)).join('–')}; `
            : '') +
          (below.length ? `below ${String(CLASS_TARGET)}: ${below.join(', ')}` : 'every class ≥ 0.85') +
          `; plain labels: mAP@0.5 ${plain.map50.toFixed(3)})`,
        value: Number(s.map50.toFixed(4)),
        unit: 'mAP@0.5',
        baseline: null,
        target: `mAP@0.5 ≥ ${String(MEAN_TARGET)}, every class ≥ ${String(CLASS_TARGET)}`,
        details: {
          model: `${manifest.name} ${manifest.version}`,
          images: s.images,
          ignore_regions: s.ignoreRegions,
          map50: Number(s.map50.toFixed(4)),
          map50_95: Number(s.map.toFixed(4)),
          ...intervals(s),
          ...Object.fromEntries(per.map(([k, v]) => [`${k}_ap50`, Number(v.toFixed(4))])),
          plain_map50: Number(plain.map50.toFixed(4)),
          plain_map50_95: Number(plain.map.toFixed(4)),
          ...Object.fromEntries(
            perClassAp50(plain).map(([k, v]) => [`plain_${k}_ap50`, Number(v.toFixed(4))]),
          ),
        },
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;

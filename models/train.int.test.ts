/**
 * The training pipeline end to end, small enough for CI: a tiny generated dataset, a few
 * training steps, ONNX export (onnx.checker), and the exported file run in onnxruntime-node,
 * loaded through its manifest, matching PyTorch within 1e-4, and scored alone by `eval-onnx` (the
 * dataset holds regions to ignore, so training and scoring both meet them). Also runs the Python unit tests
 * (COCO mAP against hand-computed cases). Needs Debian's python3-torch and python3-onnx.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { openModel } from './index.js';

const run = promisify(execFile);
const PY = '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'mw-train-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const mw = (...args: string[]) => run(PY, ['models/train/mw.py', ...args], { maxBuffer: 1 << 24 });

function f32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

describe('models/train', () => {
  it('Python unit tests pass (mAP on hand-computed cases)', async () => {
    const r = await run(PY, ['-m', 'unittest', 'discover', '-s', 'models/train/tests', '-t', 'models/train']);
    expect(r.stderr).toMatch(/\nOK\s*$/);
  });

  it('trains a few steps, exports, and onnxruntime-node matches PyTorch within 1e-4', async () => {
    await mw('shapes', join(dir, 'data'), '--train', '8', '--val', '4');
    const data = join(dir, 'data', 'data.yaml');
    const out = join(dir, 'run');
    const train = await mw(
      'train',
      '--data',
      data,
      '--out',
      out,
      '--imgsz',
      '96',
      '--batch',
      '4',
      '--epochs',
      '1',
      '--max-steps',
      '2',
      '--workers',
      '0',
      '--no-progress',
      '--limit-val',
      '4',
    );
    expect(train.stdout).toMatch(/epoch 1\/1: box [\d.]+ cls [\d.]+ mAP50/);
    // Resume continues from the checkpoint instead of starting again.
    const resumed = await mw(
      'train',
      '--data',
      data,
      '--out',
      out,
      '--imgsz',
      '96',
      '--batch',
      '4',
      '--epochs',
      '2',
      '--max-steps',
      '3',
      '--workers',
      '0',
      '--no-progress',
      '--limit-val',
      '4',
      '--resume',
    );
    expect(resumed.stdout).toMatch(/resumed at epoch 1 of 2/);
    expect(readFileSync(join(out, 'curves.png')).subarray(1, 4).toString()).toBe('PNG');

    const onnxPath = join(dir, 'model', 'model.onnx');
    const manifestPath = join(dir, 'model', 'manifest.json');
    const exp = await mw(
      'export',
      '--weights',
      join(out, 'last.pt'),
      '--out',
      onnxPath,
      '--data',
      data,
      '--manifest',
      manifestPath,
      '--name',
      'tiny',
      '--threshold',
      'dust=0.42',
      '--keep-verify',
    );
    expect(exp.stdout).toMatch(/onnx\.checker clean/);

    // eval-onnx scores the file alone (no checkpoint), as the model-accuracy benchmark does: the
    // same onnxruntime-node mAP the exporter wrote into the manifest from the same split.
    const scored = join(dir, 'scores.json');
    await mw(
      'eval-onnx',
      '--model',
      onnxPath,
      '--data',
      data,
      '--split',
      'val',
      '--imgsz',
      '96',
      '--json',
      scored,
    );
    const scores = JSON.parse(readFileSync(scored, 'utf8')) as {
      images: number;
      ignoreRegions: number;
      map50: number;
    };
    const written = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      metrics: { map50: number };
      thresholds: { perClass: Record<string, number> };
    };
    // A bar given on the command line replaces the validation F1 optimum for that class.
    expect(written.thresholds.perClass.dust).toBe(0.42);
    expect(scores.images).toBe(4);
    expect(scores.ignoreRegions).toBe(2); // val images 0 and 3 hold a region to ignore
    expect(scores.map50).toBeCloseTo(written.metrics.map50, 4);

    // The exported model loads through its manifest, with the YOLOv8 layout's exact shape.
    const model = await openModel(manifestPath);
    try {
      expect(model.manifest.output.layout).toBe('yolov8');
      // 96 px → 12² + 6² + 3² cells, 4 box values + 7 classes each.
      expect(model.outputShape).toEqual([1, 11, 144 + 36 + 9]);
      const x = f32(join(dir, 'model', '.verify', 'inputs.f32'));
      const want = f32(join(dir, 'model', '.verify', 'torch.f32'));
      const n = 4;
      const y = await model.session.run({ [model.inputName]: new ort.Tensor('float32', x, [n, 3, 96, 96]) });
      const got = y[model.outputName]?.data as Float32Array;
      expect(got.length).toBe(want.length);
      let worst = 0;
      for (let i = 0; i < got.length; i++)
        worst = Math.max(worst, Math.abs((got[i] ?? NaN) - (want[i] ?? NaN)));
      expect(worst).toBeLessThan(1e-4);
      // Scores are sigmoid probabilities, boxes are positive sizes in pixels.
      for (let i = 0; i < 189; i++) {
        expect(got[2 * 189 + i]).toBeGreaterThan(0);
        expect(got[4 * 189 + i]).toBeGreaterThanOrEqual(0);
        expect(got[4 * 189 + i]).toBeLessThanOrEqual(1);
      }
    } finally {
      await model.session.release();
    }
  }, 180_000);
});

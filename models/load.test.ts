import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import ort from 'onnxruntime-node';
import { MuckError } from '../core/index.js';
import { ZOO, openModel, checkModel, guessLayout } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-models-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const zooManifest = (layout: 'yolov8' | 'yolov5' | 'end2end'): Record<string, unknown> =>
  JSON.parse(readFileSync(ZOO[layout].manifest, 'utf8')) as Record<string, unknown>;
const zooFile = (name: string): string => join(ZOO.input, '..', name);

let n = 0;
function writeManifest(m: unknown): string {
  const p = join(dir, `m${String(n++)}.json`);
  writeFileSync(p, typeof m === 'string' ? m : JSON.stringify(m));
  return p;
}

async function failure(p: Promise<unknown>): Promise<MuckError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof MuckError) return err;
    throw err;
  }
  throw new Error('expected the load to fail');
}

describe('format zoo', () => {
  for (const layout of ['yolov8', 'yolov5', 'end2end'] as const) {
    it(`${layout}: loads, and its raw output matches the committed expectation`, async () => {
      const expected = JSON.parse(readFileSync(ZOO[layout].expected, 'utf8')) as {
        output: { shape: number[]; data: number[] };
      };
      const model = await openModel(ZOO[layout].manifest);
      try {
        expect(model.manifest.output.layout).toBe(layout);
        expect(model.outputShape).toEqual(expected.output.shape);
        const buf = readFileSync(ZOO.input);
        const x = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
        const out = await model.session.run({
          [model.inputName]: new ort.Tensor('float32', x, [1, 3, 64, 64]),
        });
        const got = out[model.outputName]?.data as Float32Array;
        expect(got.length).toBe(expected.output.data.length);
        let worst = 0;
        got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (expected.output.data[i] ?? NaN)))));
        expect(worst).toBeLessThan(1e-4);
      } finally {
        await model.session.release();
      }
    });
  }
});

describe('load failures name the problem', () => {
  it('manifest that is not JSON', async () => {
    const e = await failure(openModel(writeManifest('{ "schemaVersion": 1, ')));
    expect(e.code).toBe('MW_MODEL_MANIFEST_INVALID');
    expect(e.message).toMatch(/not valid JSON/);
  });

  it('manifest that is missing', async () => {
    const e = await failure(openModel(join(dir, 'nope.json')));
    expect(e.code).toBe('MW_MODEL_MANIFEST_INVALID');
  });

  it('manifest with an unknown layout', async () => {
    const e = await failure(
      openModel(writeManifest({ ...zooManifest('yolov8'), output: { layout: 'yolov9000' } })),
    );
    expect(e.code).toBe('MW_MODEL_MANIFEST_INVALID');
    expect(e.details.join('\n')).toMatch(/output\.layout/);
  });

  it('manifest mapping a class the model does not have', async () => {
    const m = { ...zooManifest('yolov8'), detections: { bulldozer: 'dumping' } };
    const e = await failure(openModel(writeManifest(m)));
    expect(e.code).toBe('MW_MODEL_MANIFEST_INVALID');
    expect(e.details.join('\n')).toMatch(/detections: "bulldozer" is not one of the model's classes/);
  });

  it('ONNX file that is missing', async () => {
    const m = { ...zooManifest('yolov8'), file: join(dir, 'missing.onnx'), sha256: undefined };
    const e = await failure(openModel(writeManifest(m)));
    expect(e.code).toBe('MW_MODEL_UNREADABLE');
    expect(e.message).toMatch(/missing\.onnx/);
  });

  it('ONNX file that is corrupt (truncated, no hash to catch it first)', async () => {
    const bad = join(dir, 'truncated.onnx');
    writeFileSync(bad, readFileSync(zooFile('yolov8.onnx')).subarray(0, 5000));
    const m = { ...zooManifest('yolov8'), file: bad, sha256: undefined };
    const e = await failure(openModel(writeManifest(m)));
    expect(e.code).toBe('MW_MODEL_UNREADABLE');
    expect(e.message).toMatch(/not a valid ONNX model/);
  });

  it('ONNX file whose hash differs from the manifest', async () => {
    const m = { ...zooManifest('yolov8'), file: zooFile('yolov8.onnx'), sha256: 'ab'.repeat(32) };
    const e = await failure(openModel(writeManifest(m)));
    expect(e.code).toBe('MW_MODEL_MISMATCH');
    expect(e.details[0]).toMatch(/SHA-256 is [0-9a-f]{64} but the manifest says abab/);
  });

  it('class count that disagrees with the output', async () => {
    const m = zooManifest('yolov8');
    const classes = (m.classes as string[]).slice(0, 6);
    const e = await failure(openModel(writeManifest({ ...m, file: zooFile('yolov8.onnx'), classes })));
    expect(e.code).toBe('MW_MODEL_MISMATCH');
    expect(e.details[0]).toMatch(/11 values per cell .* 6 classes needs 4 \+ 6 = 10/);
  });

  it('input size that disagrees with the model', async () => {
    const m = zooManifest('yolov5');
    const input = { ...(m.input as object), width: 320, height: 320 };
    const e = await failure(openModel(writeManifest({ ...m, file: zooFile('yolov5.onnx'), input })));
    expect(e.code).toBe('MW_MODEL_MISMATCH');
    expect(e.details.join('\n')).toMatch(/input is 64x64 .* manifest says 320x320/);
  });

  it('layout that disagrees with the output (YOLOv5 manifest on a YOLOv8 file)', async () => {
    const m = {
      ...zooManifest('yolov8'),
      output: { layout: 'yolov5' },
      file: zooFile('yolov8.onnx'),
      sha256: undefined,
    };
    const e = await failure(openModel(writeManifest(m)));
    expect(e.code).toBe('MW_MODEL_MISMATCH');
    expect(e.details[0]).toMatch(/layout yolov5 .* looks like the yolov8 layout with 7 classes/);
  });

  it('end-to-end manifest on a YOLOv8 file', async () => {
    const m = { ...zooManifest('end2end'), file: zooFile('yolov8.onnx'), sha256: undefined };
    const e = await failure(checkModel(writeManifest(m)));
    expect(e.code).toBe('MW_MODEL_MISMATCH');
    expect(e.details[0]).toMatch(/needs 6/);
  });
});

describe('guessLayout', () => {
  it('tells the layouts apart by shape', () => {
    expect(guessLayout([1, 84, 8400])).toEqual({ layout: 'yolov8', nc: 80 });
    expect(guessLayout([1, 25200, 85])).toEqual({ layout: 'yolov5', nc: 80 });
    expect(guessLayout([1, 300, 6])).toEqual({ layout: 'end2end' });
    expect(guessLayout(['batch', 11, 2100])).toEqual({ layout: 'yolov8', nc: 7 });
    expect(guessLayout([1, 'cells', 11])).toBeNull();
  });
});

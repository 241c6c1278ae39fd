/**
 * Opening a model: read and validate the manifest, check the file's hash, create the
 * onnxruntime-node session, and prove the file agrees with the manifest (input size, layout,
 * class count) with one warm-up run, so a wrong or corrupt model fails at load with a coded
 * error naming the mismatch, never later as garbage detections.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { MuckError } from '../core/index.js';
import { readManifest, type ModelManifest } from './manifest.js';
import { inputShapeProblems, outputShapeProblems, type Dim } from './shape.js';

export interface LoadedModel {
  readonly manifest: ModelManifest;
  readonly manifestPath: string;
  readonly onnxPath: string;
  readonly session: ort.InferenceSession;
  readonly inputName: string;
  readonly outputName: string;
  /** Output shape of the warm-up run (batch 1). */
  readonly outputShape: readonly number[];
}

export interface OpenModelOptions {
  readonly sessionOptions?: ort.InferenceSession.SessionOptions;
}

function mismatch(what: string, problems: readonly string[]): MuckError {
  return new MuckError('MW_MODEL_MISMATCH', `${what} disagrees with its manifest.`, problems);
}

const DEFAULT_SESSION: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
};

/** Open a model from its manifest path and verify it; the caller owns (and releases) the session. */
export async function openModel(manifestPath: string, opts: OpenModelOptions = {}): Promise<LoadedModel> {
  const manifest = readManifest(manifestPath);
  const onnxPath = resolve(dirname(manifestPath), manifest.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(onnxPath);
  } catch (err) {
    throw new MuckError(
      'MW_MODEL_UNREADABLE',
      `Model file ${onnxPath} (named by ${manifestPath}) cannot be read.`,
      [err instanceof Error ? err.message : String(err)],
      { cause: err },
    );
  }
  if (manifest.sha256) {
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== manifest.sha256) {
      throw mismatch(`Model file ${onnxPath}`, [
        `SHA-256 is ${actual} but the manifest says ${manifest.sha256}: the file is truncated, corrupted or not the one the manifest describes`,
      ]);
    }
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { ...DEFAULT_SESSION, ...opts.sessionOptions });
  } catch (err) {
    throw new MuckError(
      'MW_MODEL_UNREADABLE',
      `Model file ${onnxPath} is not a valid ONNX model.`,
      [err instanceof Error ? err.message : String(err)],
      { cause: err },
    );
  }
  try {
    return await verify(session, manifest, manifestPath, onnxPath);
  } catch (err) {
    await session.release();
    throw err;
  }
}

async function verify(
  session: ort.InferenceSession,
  manifest: ModelManifest,
  manifestPath: string,
  onnxPath: string,
): Promise<LoadedModel> {
  const what = `Model file ${onnxPath}`;
  if (session.inputNames.length !== 1 || session.outputNames.length < 1) {
    throw mismatch(what, [
      `model has ${session.inputNames.length} inputs and ${session.outputNames.length} outputs; a detector has one image input and one output`,
    ]);
  }
  const inputName = session.inputNames[0] as string;
  const outputName = session.outputNames[0] as string;
  const inMeta = session.inputMetadata[0];
  const outMeta = session.outputMetadata[0];
  const problems: string[] = [];
  if (inMeta?.isTensor) problems.push(...inputShapeProblems(manifest, inMeta.shape, inMeta.type));
  // An exporter may leave non-batch output dimensions symbolic; then the warm-up run decides.
  const outDims = outMeta?.isTensor ? (outMeta.shape as readonly Dim[]) : [];
  if (outDims.length > 0 && outDims.slice(1).every((d) => typeof d === 'number')) {
    problems.push(...outputShapeProblems(manifest, outDims));
  }
  if (problems.length > 0) throw mismatch(what, problems);
  // Symbolic dimensions hide the truth until the model runs: one warm-up run settles them.
  const { width, height } = manifest.input;
  const x = new ort.Tensor('float32', new Float32Array(3 * width * height), [1, 3, height, width]);
  let y: ort.Tensor | undefined;
  try {
    y = (await session.run({ [inputName]: x }))[outputName];
  } catch (err) {
    throw mismatch(what, [
      `a warm-up run on a 1x3x${height}x${width} input failed: ${err instanceof Error ? err.message : String(err)}`,
    ]);
  }
  if (!y) throw mismatch(what, [`the warm-up run returned no output "${outputName}"`]);
  const runProblems = outputShapeProblems(manifest, y.dims);
  if (runProblems.length > 0) throw mismatch(what, runProblems);
  return { manifest, manifestPath, onnxPath, session, inputName, outputName, outputShape: [...y.dims] };
}

/** Open, verify and release: for `models:check`-style tools and tests. */
export async function checkModel(manifestPath: string): Promise<readonly number[]> {
  const m = await openModel(manifestPath);
  await m.session.release();
  return m.outputShape;
}

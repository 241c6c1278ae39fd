/**
 * Runs an ONNX file in onnxruntime-node over a raw little-endian float32 input file and writes
 * the first output the same way. The Python exporter calls it so the file is verified in the
 * runtime MuckWatch actually ships, not in Python's.
 * usage: tsx models/ort-run.ts MODEL INPUT.f32 OUTPUT.f32 N,C,H,W [threads]
 */
import { openSync, readSync, writeSync, closeSync } from 'node:fs';
import ort from 'onnxruntime-node';

const [model, input, output, shapeArg, threadsArg] = process.argv.slice(2);
if (!model || !input || !output || !shapeArg) {
  process.stderr.write('usage: tsx models/ort-run.ts MODEL INPUT.f32 OUTPUT.f32 N,C,H,W [threads]\n');
  process.exit(2);
}
const [n = 0, c = 0, h = 0, w = 0] = shapeArg.split(',').map(Number);
const threads = Number(threadsArg ?? '1');
const session = await ort.InferenceSession.create(model, {
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
});
const inputName = session.inputNames[0] ?? 'images';
const outputName = session.outputNames[0] ?? 'output0';
const per = c * h * w;
const batch = 8;
const fin = openSync(input, 'r');
const fout = openSync(output, 'w');
for (let s = 0; s < n; s += batch) {
  const b = Math.min(batch, n - s);
  const buf = Buffer.alloc(b * per * 4);
  readSync(fin, buf, 0, buf.length, s * per * 4);
  const data = new Float32Array(buf.buffer, buf.byteOffset, b * per);
  const out = await session.run({ [inputName]: new ort.Tensor('float32', data, [b, c, h, w]) });
  const y = out[outputName];
  if (!y) throw new Error(`model has no output ${outputName}`);
  const arr = y.data as Float32Array;
  writeSync(fout, new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
}
closeSync(fin);
closeSync(fout);
await session.release();

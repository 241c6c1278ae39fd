import ort from 'onnxruntime-node';
import { REFERENCE_MODEL, openModel } from '../models/index.js';

type OpenModel = Awaited<ReturnType<typeof openModel>>;

/**
 * The shipped model on `threads` intra-op threads, with a batch of letterboxed-looking input
 * (grey padding with noise where the picture is), warmed up by ten runs: what the inference
 * benchmarks time. The caller releases `model.session`.
 */
export async function warmModel(
  threads: number,
  batch: number,
): Promise<{ model: OpenModel; feeds: Record<string, ort.Tensor> }> {
  const model = await openModel(REFERENCE_MODEL, {
    sessionOptions: { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' },
  });
  const { width, height } = model.manifest.input;
  const data = new Float32Array(batch * 3 * width * height);
  for (let i = 0; i < data.length; i++) data[i] = i % 7 === 0 ? 114 / 255 : Math.random();
  const feeds = { [model.inputName]: new ort.Tensor('float32', data, [batch, 3, height, width]) };
  for (let i = 0; i < 10; i++) await model.session.run(feeds);
  return { model, feeds };
}

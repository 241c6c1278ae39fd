/**
 * One onnxruntime session in its own thread: `session.run` blocks the thread that calls it, so
 * it never runs on the event loop. The session is created once (verified and warmed up by
 * openModel) and reused for every batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import { isMuckError } from '../core/index.js';
import { openModel } from '../models/index.js';
import type { CloseRequest, RunRequest, WorkerInit, WorkerMessage } from './session-protocol.js';

const port = parentPort;
if (!port) throw new Error('session-worker must run in a worker thread');
const init = workerData as WorkerInit;
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []): void => {
  port.postMessage(m, transfer);
};

try {
  const t0 = performance.now();
  const model = await openModel(init.manifestPath, {
    sessionOptions: {
      intraOpNumThreads: init.intraOpThreads,
      interOpNumThreads: 1,
      executionProviders: [...init.executionProviders],
      // Idle spinning burns a core the decoder needs.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    },
  });
  const { width, height } = model.manifest.input;
  const frame = 3 * width * height;
  const shared = new Float32Array(init.input);
  // onnxruntime takes no shared memory: each batch size gets one private buffer, filled by copy.
  const own = new Map<number, ort.Tensor>();
  const tensorFor = (batch: number): ort.Tensor => {
    let t = own.get(batch);
    if (!t) {
      t = new ort.Tensor('float32', new Float32Array(batch * frame), [batch, 3, height, width]);
      own.set(batch, t);
    }
    (t.data as Float32Array).set(shared.subarray(0, batch * frame));
    return t;
  };
  post({ kind: 'ready', outputShape: model.outputShape, warmupMs: performance.now() - t0 });
  let inflight: Promise<unknown> = Promise.resolve();
  port.on('message', (req: RunRequest | CloseRequest) => {
    if (req.kind === 'close') {
      // Ending the thread inside session.run would abort the whole process (native code running).
      void inflight
        .then(() => model.session.release())
        .finally(() => {
          port.close();
        });
      return;
    }
    const start = performance.now();
    inflight = Promise.resolve()
      .then(() => model.session.run({ [model.inputName]: tensorFor(req.batch) }))
      .then((out) => {
        const y = out[model.outputName];
        if (!y) throw new Error(`model returned no output ${model.outputName}`);
        const data = y.data as Float32Array;
        const copy = new Float32Array(data); // own the buffer so it can be transferred
        post(
          { kind: 'result', id: req.id, output: copy, dims: [...y.dims], runMs: performance.now() - start },
          [copy.buffer],
        );
      })
      .catch((err: unknown) => {
        post({ kind: 'error', id: req.id, message: err instanceof Error ? err.message : String(err) });
      });
  });
} catch (err) {
  post(
    isMuckError(err)
      ? { kind: 'failed', code: err.code, message: err.message, details: err.details }
      : {
          kind: 'failed',
          code: null,
          message: err instanceof Error ? err.message : String(err),
          details: [],
        },
  );
}

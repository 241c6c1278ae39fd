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
    const x = new ort.Tensor('float32', req.input, [req.batch, 3, height, width]);
    inflight = model.session
      .run({ [model.inputName]: x })
      .then((out) => {
        const y = out[model.outputName];
        if (!y) throw new Error(`model returned no output ${model.outputName}`);
        const data = y.data as Float32Array;
        const copy = new Float32Array(data); // own the buffer so it can be transferred
        // The input goes back too: a fresh multi-megabyte array per batch costs page faults and GC.
        post(
          {
            kind: 'result',
            id: req.id,
            output: copy,
            dims: [...y.dims],
            runMs: performance.now() - start,
            input: req.input,
          },
          [copy.buffer, req.input.buffer as ArrayBuffer],
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

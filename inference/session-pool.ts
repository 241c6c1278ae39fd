import { Worker } from 'node:worker_threads';
import { ERROR_CATALOG, MuckError, type ErrorCode } from '../core/index.js';
import type { CloseRequest, RunRequest, WorkerInit, WorkerMessage } from './session-protocol.js';

export interface SessionPoolOptions {
  readonly manifestPath: string;
  /** Worker threads, each with its own session. */
  readonly workers: number;
  readonly intraOpThreads: number;
  /** e.g. ['cuda', 'cpu'] when a GPU build is present; ['cpu'] by default. */
  readonly executionProviders?: readonly string[];
}

export interface RunResult {
  readonly output: Float32Array;
  readonly dims: readonly number[];
  readonly runMs: number;
  /** The input buffer, back from the thread: the caller may fill it again. */
  readonly input: Float32Array;
}

interface Slot {
  readonly worker: Worker;
  busy: boolean;
}

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

/** A fixed set of session threads; `run` goes to a free one (callers queue when all are busy). */
export class SessionPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<
    number,
    { resolve: (r: RunResult) => void; reject: (e: Error) => void; slot: Slot }
  >();
  private readonly waiters: ((slot: Slot) => void)[] = [];
  private nextId = 1;

  private constructor(readonly outputShape: readonly number[]) {}

  /** Start the threads; resolves when every session is loaded, verified and warmed up. */
  static async open(opts: SessionPoolOptions): Promise<SessionPool> {
    const init: WorkerInit = {
      manifestPath: opts.manifestPath,
      intraOpThreads: opts.intraOpThreads,
      executionProviders: opts.executionProviders ?? ['cpu'],
    };
    const started = await Promise.allSettled(Array.from({ length: opts.workers }, () => startWorker(init)));
    const failed = started.find((s) => s.status === 'rejected');
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    if (failed) {
      await Promise.all(workers.map((w) => w.worker.terminate()));
      throw failed.reason;
    }
    const pool = new SessionPool(workers[0]?.outputShape ?? []);
    for (const w of workers) pool.attach(w.worker);
    return pool;
  }

  private attach(worker: Worker): void {
    const slot: Slot = { worker, busy: false };
    this.slots.push(slot);
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind !== 'result' && m.kind !== 'error') return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.release(p.slot);
      if (m.kind === 'result') p.resolve({ output: m.output, dims: m.dims, runMs: m.runMs, input: m.input });
      else p.reject(new Error(m.message));
    });
  }

  private release(slot: Slot): void {
    const next = this.waiters.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  private acquire(): Promise<Slot> {
    const free = this.slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** True when a run would start at once. */
  get idle(): boolean {
    return this.slots.some((s) => !s.busy);
  }

  get size(): number {
    return this.slots.length;
  }

  async run(input: Float32Array, batch: number): Promise<RunResult> {
    const slot = await this.acquire();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, slot });
      const req: RunRequest = { kind: 'run', id, batch, input };
      slot.worker.postMessage(req, [input.buffer as ArrayBuffer]);
    });
  }

  /**
   * Let each thread finish its run in flight and release its session before it ends; only a
   * thread that does not end within `graceMs` is terminated.
   */
  async close(graceMs = 10_000): Promise<void> {
    await Promise.all(
      this.slots.map(async ({ worker }) => {
        const exited = new Promise<boolean>((resolve) =>
          worker.once('exit', () => {
            resolve(true);
          }),
        );
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<boolean>(
          (resolve) =>
            (timer = setTimeout(() => {
              resolve(false);
            }, graceMs)),
        );
        worker.postMessage({ kind: 'close' } satisfies CloseRequest);
        const ended = await Promise.race([exited, late]);
        clearTimeout(timer);
        if (!ended) await worker.terminate();
      }),
    );
  }
}

function startWorker(init: WorkerInit): Promise<{ worker: Worker; outputShape: readonly number[] }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(ENTRY, { workerData: init });
    const onError = (err: Error): void => {
      reject(new MuckError('MW_MODEL_UNREADABLE', `Inference thread failed to start: ${err.message}`));
    };
    worker.once('error', onError);
    worker.once('message', (m: WorkerMessage) => {
      worker.off('error', onError);
      if (m.kind === 'ready') resolve({ worker, outputShape: m.outputShape });
      else if (m.kind === 'failed') {
        void worker.terminate();
        const code = m.code && m.code in ERROR_CATALOG ? (m.code as ErrorCode) : 'MW_MODEL_UNREADABLE';
        reject(new MuckError(code, m.message, m.details));
      } else reject(new Error(`unexpected first message ${m.kind}`));
    });
  });
}

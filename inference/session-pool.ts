import { Worker } from 'node:worker_threads';
import { ERROR_CATALOG, MuckError, type ErrorCode } from '../core/index.js';
import { readManifest } from '../models/index.js';
import type { CloseRequest, RunRequest, WorkerInit, WorkerMessage } from './session-protocol.js';

export interface SessionPoolOptions {
  readonly manifestPath: string;
  /** Worker threads, each with its own session. */
  readonly workers: number;
  readonly intraOpThreads: number;
  /** The most frames one run takes (the shared input is sized for it); 1 by default. */
  readonly maxBatch?: number;
  /** e.g. ['cuda', 'cpu'] when a GPU build is present; ['cpu'] by default. */
  readonly executionProviders?: readonly string[];
}

export interface RunResult {
  readonly output: Float32Array;
  readonly dims: readonly number[];
  readonly runMs: number;
}

interface Slot {
  readonly worker: Worker;
  /** The thread's shared input: filled here, read there, never while a run is in flight. */
  readonly input: Float32Array;
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

  private constructor(
    readonly outputShape: readonly number[],
    /** Floats of one frame's input. */
    private readonly frameSize: number,
  ) {}

  /** Start the threads; resolves when every session is loaded, verified and warmed up. */
  static async open(opts: SessionPoolOptions): Promise<SessionPool> {
    const { width, height } = readManifest(opts.manifestPath).input;
    const frameSize = 3 * width * height;
    const inputBytes = (opts.maxBatch ?? 1) * frameSize * Float32Array.BYTES_PER_ELEMENT;
    const started = await Promise.allSettled(
      Array.from({ length: opts.workers }, () =>
        startWorker({
          manifestPath: opts.manifestPath,
          intraOpThreads: opts.intraOpThreads,
          executionProviders: opts.executionProviders ?? ['cpu'],
          input: new SharedArrayBuffer(inputBytes),
        }),
      ),
    );
    const failed = started.find((s) => s.status === 'rejected');
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    if (failed) {
      await Promise.all(workers.map((w) => w.worker.terminate()));
      throw failed.reason;
    }
    const pool = new SessionPool(workers[0]?.outputShape ?? [], frameSize);
    for (const w of workers) pool.attach(w.worker, new Float32Array(w.input));
    return pool;
  }

  private attach(worker: Worker, input: Float32Array): void {
    const slot: Slot = { worker, input, busy: false };
    this.slots.push(slot);
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind !== 'result' && m.kind !== 'error') return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.release(p.slot);
      if (m.kind === 'result') p.resolve({ output: m.output, dims: m.dims, runMs: m.runMs });
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

  /**
   * Run `batch` frames on a free thread: `fill` writes them (NCHW float32) into the thread's
   * input, which holds exactly `batch` frames, before the run starts.
   */
  async run(batch: number, fill: (input: Float32Array) => void): Promise<RunResult> {
    const capacity = Math.floor((this.slots[0]?.input.length ?? 0) / this.frameSize);
    if (!Number.isInteger(batch) || batch < 1 || batch > capacity)
      throw new RangeError(`batch of ${String(batch)} frames; this pool takes 1 to ${String(capacity)}`);
    const slot = await this.acquire();
    try {
      fill(slot.input.subarray(0, batch * this.frameSize));
    } catch (err) {
      this.release(slot);
      throw err;
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, slot });
      slot.worker.postMessage({ kind: 'run', id, batch } satisfies RunRequest);
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

function startWorker(
  init: WorkerInit,
): Promise<{ worker: Worker; outputShape: readonly number[]; input: SharedArrayBuffer }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(ENTRY, { workerData: init });
    const onError = (err: Error): void => {
      reject(new MuckError('MW_MODEL_UNREADABLE', `Inference thread failed to start: ${err.message}`));
    };
    worker.once('error', onError);
    worker.once('message', (m: WorkerMessage) => {
      worker.off('error', onError);
      if (m.kind === 'ready') resolve({ worker, outputShape: m.outputShape, input: init.input });
      else if (m.kind === 'failed') {
        void worker.terminate();
        const code = m.code && m.code in ERROR_CATALOG ? (m.code as ErrorCode) : 'MW_MODEL_UNREADABLE';
        reject(new MuckError(code, m.message, m.details));
      } else reject(new Error(`unexpected first message ${m.kind}`));
    });
  });
}

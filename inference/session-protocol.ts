/** Messages between the inference engine and its session worker threads. */
export interface WorkerInit {
  readonly manifestPath: string;
  readonly intraOpThreads: number;
  readonly executionProviders: readonly string[];
}

export interface RunRequest {
  readonly kind: 'run';
  readonly id: number;
  readonly batch: number;
  /** Batch input, NCHW float32 (transferred, not copied). */
  readonly input: Float32Array;
}

/** Finish the run in flight, release the session, and end the thread. */
export interface CloseRequest {
  readonly kind: 'close';
}

export type WorkerMessage =
  | { readonly kind: 'ready'; readonly outputShape: readonly number[]; readonly warmupMs: number }
  | {
      readonly kind: 'failed';
      readonly code: string | null;
      readonly message: string;
      readonly details: readonly string[];
    }
  | {
      readonly kind: 'result';
      readonly id: number;
      readonly output: Float32Array;
      readonly dims: readonly number[];
      readonly runMs: number;
      /** The request's input buffer, handed back (transferred) for the next batch to reuse. */
      readonly input: Float32Array;
    }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };

/** Messages between the inference engine and its session worker threads. */
export interface WorkerInit {
  readonly manifestPath: string;
  readonly intraOpThreads: number;
  readonly executionProviders: readonly string[];
  /**
   * Batch input, NCHW float32, written by the engine and read by this thread. Shared, so no
   * array buffer is created or moved per batch: at 20 frames/s of 1.2 MB each, moved buffers
   * kept both heaps in back-to-back full collections.
   */
  readonly input: SharedArrayBuffer;
}

export interface RunRequest {
  readonly kind: 'run';
  readonly id: number;
  /** Frames at the start of the shared input. */
  readonly batch: number;
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
    }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };

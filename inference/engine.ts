import { readManifest, type ModelManifest } from '../models/index.js';
import { decodeBatch, type Detection } from './detect.js';
import { FairFrameQueue } from './fair-queue.js';
import { letterbox, toView } from './letterbox.js';
import { FrameSizeError, checkFrameSize, rgbToTensor } from './preprocess.js';
import { SessionPool } from './session-pool.js';

/** A letterboxed RGB frame at the model's input size, and the size of the picture it came from. */
export interface InputFrame {
  readonly cameraId: number;
  readonly seq: number;
  readonly time: number;
  readonly data: Uint8Array;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /** The picture boxes are reported in, when it is not the source (a camera's main stream). */
  readonly view?: { readonly width: number; readonly height: number };
  /** Called once the pixels are no longer needed: copied into a batch, or dropped. */
  readonly release?: () => void;
}

export interface FrameDetections {
  readonly cameraId: number;
  readonly seq: number;
  readonly time: number;
  readonly detections: Detection[];
  /** The camera picture the boxes are in (source pixels). */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /** Wall-clock ms from submit to decoded result (queueing + inference). */
  readonly latencyMs: number;
  readonly runMs: number;
  readonly batch: number;
}

export interface EngineOptions {
  readonly manifestPath: string;
  readonly workers: number;
  readonly intraOpThreads: number;
  readonly maxBatch: number;
  /** Frames kept per camera while inference is behind; older ones are dropped and counted. */
  readonly perCameraQueue: number;
  /** Decode boxes down to this score instead of the manifest thresholds (for the tracker). */
  readonly scoreFloor?: number;
  readonly onResult: (r: FrameDetections) => void;
  readonly onError?: (err: Error) => void;
}

export interface EngineStats {
  readonly frames: number;
  readonly batches: number;
  /** Batches run, by size: batchSizes[n] is the count of n-frame batches. */
  readonly batchSizes: readonly number[];
  readonly dropped: number;
  readonly meanRunMsPerFrame: number;
  readonly errors: number;
}

/**
 * Frames from every camera this node holds → fair batches → onnxruntime worker threads →
 * decoded detections in source pixels. Never blocks a caller: when inference falls behind, the
 * oldest frames of the busiest cameras are dropped (and counted).
 */
export class InferenceEngine {
  private readonly queue: FairFrameQueue<InputFrame & { submittedAt: number }>;
  private maxBatch: number;
  private frames = 0;
  private batches = 0;
  private readonly batchSizes: number[] = [];
  private runMs = 0;
  private errors = 0;
  private closed = false;

  private constructor(
    readonly manifest: ModelManifest,
    private readonly pool: SessionPool,
    private readonly opts: EngineOptions,
  ) {
    this.queue = new FairFrameQueue(opts.perCameraQueue, (f) => f.release?.());
    this.maxBatch = opts.maxBatch;
  }

  static async open(opts: EngineOptions): Promise<InferenceEngine> {
    const manifest = readManifest(opts.manifestPath);
    const pool = await SessionPool.open({
      manifestPath: opts.manifestPath,
      workers: opts.workers,
      intraOpThreads: opts.intraOpThreads,
      maxBatch: opts.maxBatch,
    });
    return new InferenceEngine(manifest, pool, opts);
  }

  submit(frame: InputFrame): void {
    if (this.closed) {
      frame.release?.();
      return;
    }
    try {
      // Refused alone, so it never fails a batch that holds other cameras' frames.
      checkFrameSize(frame.data, this.manifest.input);
    } catch (err) {
      frame.release?.();
      this.errors++;
      this.opts.onError?.(err as FrameSizeError);
      return;
    }
    this.queue.push({ ...frame, submittedAt: performance.now() });
    this.pump();
  }

  stats(): EngineStats {
    return {
      frames: this.frames,
      batches: this.batches,
      batchSizes: Array.from({ length: this.batchSizes.length }, (_, n) => this.batchSizes[n] ?? 0),
      dropped: this.queue.dropped(),
      meanRunMsPerFrame: this.frames ? this.runMs / this.frames : 0,
      errors: this.errors,
    };
  }

  droppedFor(cameraId: number): number {
    return this.queue.dropped(cameraId);
  }

  forgetCamera(cameraId: number): void {
    this.queue.forget(cameraId);
  }

  private pump(): void {
    while (!this.closed && this.pool.idle && this.queue.size > 0) {
      const batch = this.queue.takeBatch(this.maxBatch);
      void this.runBatch(batch);
    }
  }

  private async runBatch(batch: (InputFrame & { submittedAt: number })[]): Promise<void> {
    const { width, height } = this.manifest.input;
    try {
      // Every element of the input is written, so the reused buffer needs no clearing. (Frame
      // sizes were checked at submit; a failure here fails the batch, never the process.)
      const r = await this.pool.run(batch.length, (input) => {
        batch.forEach((f, i) => {
          rgbToTensor(f.data, this.manifest.input, input, i);
        });
      });
      const boxes = batch.map((f) => letterbox(f.sourceWidth, f.sourceHeight, width, height));
      const decoded = decodeBatch(this.manifest, r.output, r.dims, boxes, this.opts.scoreFloor);
      this.batches++;
      this.batchSizes[batch.length] = (this.batchSizes[batch.length] ?? 0) + 1;
      this.frames += batch.length;
      this.runMs += r.runMs;
      const now = performance.now();
      batch.forEach((f, i) => {
        const found = decoded[i] ?? [];
        const src = { width: f.sourceWidth, height: f.sourceHeight };
        const view = f.view ?? src;
        this.opts.onResult({
          cameraId: f.cameraId,
          seq: f.seq,
          time: f.time,
          detections: f.view ? found.map((d) => ({ ...d, box: toView(d.box, src, view) })) : found,
          sourceWidth: view.width,
          sourceHeight: view.height,
          latencyMs: now - f.submittedAt,
          runMs: r.runMs / batch.length,
          batch: batch.length,
        });
      });
    } catch (err) {
      this.errors++;
      // A model exported with a fixed batch of 1 refuses larger batches: fall back for good.
      if (batch.length > 1 && !(err instanceof FrameSizeError)) this.maxBatch = 1;
      this.opts.onError?.(err instanceof Error ? err : new Error(String(err)));
    } finally {
      for (const f of batch) f.release?.();
      this.pump();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pool.close();
  }
}

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ZOO } from '../models/index.js';
import { InferenceEngine, type FrameDetections } from './engine.js';
import { SessionPool } from './session-pool.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The zoo's YOLOv8 model on one worker thread, results (and errors) collected. */
async function zooEngine(
  opts: { maxBatch: number; perCameraQueue: number },
  results: FrameDetections[],
  errors?: Error[],
): Promise<InferenceEngine> {
  return InferenceEngine.open({
    manifestPath: ZOO.yolov8.manifest,
    workers: 1,
    intraOpThreads: 1,
    ...opts,
    onResult: (r) => results.push(r),
    ...(errors ? { onError: (e: Error) => errors.push(e) } : {}),
  });
}

/** A 64×64 RGB frame of fixed noise. */
function noiseFrame(): Uint8Array {
  const data = new Uint8Array(64 * 64 * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 256;
  return data;
}

describe('inference engine (zoo model, real onnxruntime threads)', () => {
  it('batches frames from several cameras fairly, drops the oldest when behind, maps boxes to source pixels', async () => {
    const results: FrameDetections[] = [];
    const engine = await zooEngine({ maxBatch: 4, perCameraQueue: 2 }, results);
    try {
      const data = noiseFrame();
      let submitted = 0;
      // A burst: camera 1 floods; cameras 2 and 3 send two frames each (within their queue share).
      for (let seq = 0; seq < 30; seq++) {
        engine.submit({ cameraId: 1, seq, time: seq * 200, data, sourceWidth: 1280, sourceHeight: 720 });
        submitted++;
        if (seq % 15 === 0) {
          for (const cameraId of [2, 3]) {
            engine.submit({ cameraId, seq, time: seq * 200, data, sourceWidth: 1280, sourceHeight: 720 });
            submitted++;
          }
        }
      }
      const until = Date.now() + 20_000;
      while (results.length + engine.stats().dropped < submitted && Date.now() < until) await sleep(50);
      const stats = engine.stats();
      expect(results.length + stats.dropped).toBe(submitted);
      expect(engine.droppedFor(1)).toBeGreaterThan(0);
      // Every frame of the quiet cameras was analysed: the flood did not starve them.
      expect(results.filter((r) => r.cameraId === 2)).toHaveLength(2);
      expect(results.filter((r) => r.cameraId === 3)).toHaveLength(2);
      expect(engine.droppedFor(2) + engine.droppedFor(3)).toBe(0);
      expect(Math.max(...results.map((r) => r.batch))).toBeGreaterThan(1);
      // The batch-size counts add up to the batches and frames run.
      expect(stats.batchSizes.reduce((a, n) => a + n, 0)).toBe(stats.batches);
      expect(stats.batchSizes.reduce((a, n, size) => a + n * size, 0)).toBe(results.length);
      // Per camera, results come back in frame order.
      const seqs1 = results.filter((r) => r.cameraId === 1).map((r) => r.seq);
      expect(seqs1).toEqual([...seqs1].sort((a, b) => a - b));
      const boxes = results.flatMap((r) => r.detections.map((d) => d.box));
      expect(boxes.length).toBeGreaterThan(0);
      for (const b of boxes) {
        expect(b.x).toBeGreaterThanOrEqual(0);
        expect(b.x + b.w).toBeLessThanOrEqual(1280 + 1e-6);
        expect(b.y + b.h).toBeLessThanOrEqual(720 + 1e-6);
      }
    } finally {
      await engine.close();
    }
  });

  it('reports boxes in the main picture for a frame analysed from a sub stream', async () => {
    const results: FrameDetections[] = [];
    const engine = await zooEngine({ maxBatch: 1, perCameraQueue: 4 }, results);
    try {
      const data = noiseFrame();
      // The same pixels, once as a 640x360 main stream and once as its sub stream of a 2560x1440 camera.
      engine.submit({ cameraId: 1, seq: 0, time: 0, data, sourceWidth: 640, sourceHeight: 360 });
      const view = { width: 2560, height: 1440 };
      engine.submit({ cameraId: 2, seq: 0, time: 0, data, sourceWidth: 640, sourceHeight: 360, view });
      const until = Date.now() + 10_000;
      while (results.length < 2 && Date.now() < until) await sleep(20);
      const [plain, sub] = [1, 2].map((c) => results.find((r) => r.cameraId === c));
      expect([sub?.sourceWidth, sub?.sourceHeight]).toEqual([2560, 1440]);
      expect(plain?.detections.length).toBeGreaterThan(0);
      expect(sub?.detections.map((d) => d.box)).toEqual(
        plain?.detections.map((d) => ({ x: d.box.x * 4, y: d.box.y * 4, w: d.box.w * 4, h: d.box.h * 4 })),
      );
    } finally {
      await engine.close();
    }
  });

  it('batches through the shared input see only their own frames, and a batch too big is refused', async () => {
    const pool = await SessionPool.open({
      manifestPath: ZOO.yolov8.manifest,
      workers: 1,
      intraOpThreads: 1,
      maxBatch: 2,
    });
    try {
      const frame = (seed: number): Float32Array =>
        Float32Array.from({ length: 3 * 64 * 64 }, (_, i) => ((i * seed) % 256) / 255);
      const [a, b] = [frame(7919), frame(104729)];
      const run = (...frames: Float32Array[]) =>
        pool.run(frames.length, (x) => {
          expect(x.length).toBe(frames.length * a.length);
          frames.forEach((f, i) => {
            x.set(f, i * f.length);
          });
        });
      const first = await run(a);
      const pair = await run(b, a);
      const again = await run(a);
      expect(again.output).toEqual(first.output);
      expect(pair.dims[0]).toBe(2);
      // The pair's second frame is frame a: the same answer as a alone, and b's differs.
      const per = first.output.length;
      expect(
        Array.from(pair.output.subarray(per)).every((v, i) => Math.abs(v - (first.output[i] ?? NaN)) < 1e-4),
      ).toBe(true);
      expect(pair.output.subarray(0, per)).not.toEqual(first.output);
      await expect(run(a, b, a)).rejects.toThrow(/takes 1 to 2/);
      expect((await run(a)).output).toEqual(first.output);
    } finally {
      await pool.close();
    }
  });

  it('a frame of the wrong size is refused alone with an error; every frame is released once', async () => {
    const results: FrameDetections[] = [];
    const errors: Error[] = [];
    const released: string[] = [];
    const engine = await zooEngine({ maxBatch: 2, perCameraQueue: 4 }, results, errors);
    const frame = (cameraId: number, seq: number, bytes = 64 * 64 * 3) => ({
      cameraId,
      seq,
      time: seq * 200,
      data: new Uint8Array(bytes),
      sourceWidth: 64,
      sourceHeight: 64,
      release: () => released.push(`${String(cameraId)}/${String(seq)}`),
    });
    const names = () => results.map((r) => `${String(r.cameraId)}/${String(r.seq)}`).sort();
    try {
      // The first frame holds the session thread, so the two after it wait and share a batch.
      engine.submit(frame(3, 0));
      engine.submit(frame(1, 0, 10));
      engine.submit(frame(2, 0));
      engine.submit(frame(1, 1));
      const until = Date.now() + 10_000;
      while (results.length < 3 && Date.now() < until) await sleep(50);
      expect(errors.map((e) => e.message)).toEqual([
        expect.stringMatching(/frame has 10 bytes; the model wants 64x64 RGB/) as unknown,
      ]);
      expect(names()).toEqual(['1/1', '2/0', '3/0']);
      expect(results.filter((r) => r.cameraId !== 3).map((r) => r.batch)).toEqual([2, 2]);
      expect(engine.stats().errors).toBe(1);
      expect(released.sort()).toEqual(['1/0', '1/1', '2/0', '3/0']);
    } finally {
      await engine.close();
    }
  });

  it('closes while every session thread is mid-run without aborting the process', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'inference/close-under-load.fixture.ts'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.stderr).not.toMatch(/terminate called|Napi::Error/);
    expect(child.status).toBe(0);
    const out = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
      results: number;
      closeMs: number;
    };
    expect(out.results).toBeGreaterThan(0);
  }, 90_000);
});

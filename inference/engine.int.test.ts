import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ZOO } from '../models/index.js';
import { InferenceEngine, type FrameDetections } from './engine.js';
import { SessionPool } from './session-pool.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('inference engine (zoo model, real onnxruntime threads)', () => {
  it('batches frames from several cameras fairly, drops the oldest when behind, maps boxes to source pixels', async () => {
    const results: FrameDetections[] = [];
    const engine = await InferenceEngine.open({
      manifestPath: ZOO.yolov8.manifest,
      workers: 1,
      intraOpThreads: 1,
      maxBatch: 4,
      perCameraQueue: 2,
      onResult: (r) => results.push(r),
    });
    try {
      const data = new Uint8Array(64 * 64 * 3);
      for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 256;
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

  it('the session thread hands each input buffer back, and a reused buffer gives the same answer', async () => {
    const pool = await SessionPool.open({ manifestPath: ZOO.yolov8.manifest, workers: 1, intraOpThreads: 1 });
    try {
      const input = Float32Array.from({ length: 3 * 64 * 64 }, (_, i) => ((i * 7919) % 256) / 255);
      const sent = input.slice();
      const first = await pool.run(input, 1);
      expect(input.length).toBe(0); // transferred, not copied
      expect(first.input).toEqual(sent);
      const again = await pool.run(first.input, 1);
      expect(again.output).toEqual(first.output);
      expect(again.input).toEqual(sent);
    } finally {
      await pool.close();
    }
  });

  it('a frame of the wrong size fails its batch with an error, never the engine', async () => {
    const results: FrameDetections[] = [];
    const errors: Error[] = [];
    const engine = await InferenceEngine.open({
      manifestPath: ZOO.yolov8.manifest,
      workers: 1,
      intraOpThreads: 1,
      maxBatch: 1,
      perCameraQueue: 4,
      onResult: (r) => results.push(r),
      onError: (e) => errors.push(e),
    });
    try {
      engine.submit({
        cameraId: 1,
        seq: 0,
        time: 0,
        data: new Uint8Array(10),
        sourceWidth: 64,
        sourceHeight: 64,
      });
      engine.submit({
        cameraId: 1,
        seq: 1,
        time: 200,
        data: new Uint8Array(64 * 64 * 3),
        sourceWidth: 64,
        sourceHeight: 64,
      });
      const until = Date.now() + 10_000;
      while (results.length < 1 && Date.now() < until) await sleep(50);
      expect(errors.map((e) => e.message)).toEqual([
        expect.stringMatching(/the model wants 64x64 RGB/) as unknown,
      ]);
      expect(results.map((r) => r.seq)).toEqual([1]);
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

/**
 * Child process for engine.int.test.ts: keeps every session thread busy, then closes the engine
 * mid-run. Terminating a thread inside session.run aborts the whole process (exit 134), so a
 * clean exit 0 is the assertion. Prints how many results came back and how long close took.
 */
import { REFERENCE_MODEL } from '../models/index.js';
import { InferenceEngine } from './engine.js';

let results = 0;
const engine = await InferenceEngine.open({
  manifestPath: REFERENCE_MODEL,
  workers: 2,
  intraOpThreads: 1,
  maxBatch: 4,
  perCameraQueue: 4,
  scoreFloor: 0.1,
  onResult: () => {
    results++;
  },
});
const { width, height } = engine.manifest.input;
const data = Buffer.alloc(width * height * 3, 100);
const burst = (): void => {
  for (let cameraId = 0; cameraId < 8; cameraId++) {
    engine.submit({
      cameraId,
      seq: 0,
      time: Date.now(),
      sourceWidth: 640,
      sourceHeight: 360,
      data,
    });
  }
};
const timer = setInterval(burst, 2);
await new Promise((resolve) => setTimeout(resolve, 1000));
clearInterval(timer);
burst();
const t0 = performance.now();
await engine.close();
process.stdout.write(`${JSON.stringify({ results, closeMs: Math.round(performance.now() - t0) })}\n`);

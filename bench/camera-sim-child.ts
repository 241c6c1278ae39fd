/**
 * The RTSP camera simulator in a process of its own, so that a benchmark's CPU reading of its
 * own process holds only the pipeline: `tsx bench/camera-sim-child.ts COUNT CLIP` serves CLIP as
 * cameras cam0..cam{COUNT-1}, prints `{"base":"rtsp://host:port/"}` and runs until SIGTERM.
 */
import { startCameraSimulator } from '../fixtures/index.js';

const [count = '1', clip = ''] = process.argv.slice(2);
const sim = await startCameraSimulator({
  streams: Array.from({ length: Number(count) }, (_, i) => ({ path: `cam${String(i)}`, clips: [clip] })),
});
process.stdout.write(`${JSON.stringify({ base: sim.url('') })}\n`);
process.on('SIGTERM', () => {
  void sim.stop().then(() => process.exit(0));
});

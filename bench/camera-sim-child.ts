/**
 * The RTSP camera simulator in a process of its own, so that a benchmark's CPU reading of its
 * own process holds only the pipeline: `tsx bench/camera-sim-child.ts COUNT CLIP [SUBCLIP]` serves
 * CLIP as cameras cam0..cam{COUNT-1} (and SUBCLIP as their sub streams sub0..), prints
 * `{"base":"rtsp://host:port/"}` and runs until SIGTERM.
 */
import { startCameraSimulator } from '../fixtures/index.js';

const [count = '1', clip = '', subClip] = process.argv.slice(2);
const ids = Array.from({ length: Number(count) }, (_, i) => String(i));
const sim = await startCameraSimulator({
  streams: [
    ...ids.map((i) => ({ path: `cam${i}`, clips: [clip] })),
    ...(subClip ? ids.map((i) => ({ path: `sub${i}`, clips: [subClip] })) : []),
  ],
});
process.stdout.write(`${JSON.stringify({ base: sim.url('') })}\n`);
process.on('SIGTERM', () => {
  void sim.stop().then(() => process.exit(0));
});

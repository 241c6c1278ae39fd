/**
 * JT/T 808 fuzzing at scale: two million random and mutated frames through the splitter, codec,
 * session and filters (the unit test runs 120k). Fails on any escaped error, hang or malformed
 * answer; reports the rate.
 */
import { runFuzz } from '../ingest/index.js';
import type { Benchmark } from './record.js';

const FRAMES = 2_000_000;

const bench: Benchmark = {
  name: 'gps-fuzz',
  async run() {
    const r = await runFuzz(FRAMES, 20261127);
    if (r.errors.length > 0 || r.hung || r.malformedAnswers > 0) {
      throw new Error(
        `fuzz: ${String(r.errors.length)} errors, hung ${String(r.hung)}, ${String(r.malformedAnswers)} malformed answers`,
      );
    }
    process.stdout.write(
      `gps-fuzz: ${String(r.frames)} frames, 0 errors, 0 hangs in ${String(r.elapsedMs)} ms ${JSON.stringify(r.stats)}\n`,
    );
    return {
      metric: `fuzzed JT/T 808 frames handled (${String(FRAMES)} generated, 0 crashes, 0 hangs, 0 malformed answers)`,
      value: Math.round(r.frames / (r.elapsedMs / 1000)),
      unit: 'frames/s',
      baseline: null,
      target: 'zero crashes and hangs over millions of frames',
    };
  },
};
export default bench;

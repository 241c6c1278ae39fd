/**
 * Raw detector inference in onnxruntime-node: ms per frame for the shipped reference model at
 * its own input size, 1 and 2 intra-op threads, batch 1 and 4 (per-frame = run time / batch).
 * The headline value is 1 thread, batch 1, the budget the issue sets (≤ 8 ms). Medians, after a
 * warm-up; the load average at the start is recorded, as other load depresses them.
 */
import os from 'node:os';
import { warmModel } from './lib-model.js';
import type { Benchmark } from './record.js';

const RUNS = 120;

async function msPerFrame(threads: number, batch: number): Promise<number> {
  const { model, feeds } = await warmModel(threads, batch);
  try {
    const times: number[] = [];
    for (let i = 0; i < Math.ceil(RUNS / batch); i++) {
      const t = performance.now();
      await model.session.run(feeds);
      times.push((performance.now() - t) / batch);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] ?? NaN;
  } finally {
    await model.session.release();
  }
}

const bench: Benchmark = {
  name: 'model-inference',
  async run() {
    // Other work on the machine depresses these figures: say how busy it was.
    const load = (os.loadavg()[0] ?? 0).toFixed(1);
    const details: Record<string, number> = {};
    for (const threads of [1, 2]) {
      for (const batch of [1, 4]) {
        const ms = await msPerFrame(threads, batch);
        details[`threads${String(threads)}_batch${String(batch)}_ms_per_frame`] = Number(ms.toFixed(3));
        process.stdout.write(
          `  ${String(threads)} thread(s), batch ${String(batch)}: ${ms.toFixed(2)} ms/frame\n`,
        );
      }
    }
    const one = details.threads1_batch1_ms_per_frame ?? NaN;
    const result = {
      metric: `muckwatch-v1 ms/frame, 1 thread, batch 1 (median); 2 threads b1 ${String(details.threads2_batch1_ms_per_frame)}, 1 thread b4 ${String(details.threads1_batch4_ms_per_frame)}, 2 threads b4 ${String(details.threads2_batch4_ms_per_frame)}; load average ${load} at start`,
      value: one,
      unit: 'ms/frame',
      baseline: null,
      target: '≤ 8 ms/frame on one thread',
      details,
    };
    return result;
  },
};

export default bench;

/**
 * Scenario clip rendering: the 30 s dumping-gate scenario at 720p, 25 fps, rendered and encoded
 * to H.264 with its ground truth. Value: rendered frames per second of wall time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Benchmark } from './record.js';
import { loadScenario, renderClip, SCENARIOS_DIR } from '../fixtures/index.js';

const bench: Benchmark = {
  name: 'fixtures-clip',
  async run() {
    const dir = await mkdtemp(path.join(tmpdir(), 'mw-bench-clip-'));
    try {
      const sc = await loadScenario(path.join(SCENARIOS_DIR, 'dumping-gate.yaml'));
      const t0 = performance.now();
      const gt = await renderClip(sc, { base: path.join(dir, 'clip'), resolution: '720p' });
      const secs = (performance.now() - t0) / 1000;
      return {
        metric: `dumping-gate 30 s at 720p25 → H.264 MP4 + ground truth (${String(gt.frameCount)} frames, ${secs.toFixed(1)} s)`,
        value: Math.round((gt.frameCount / secs) * 10) / 10,
        unit: 'frames/s',
        baseline: null,
        target: '≥ 25 frames/s (faster than real time)',
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
export default bench;

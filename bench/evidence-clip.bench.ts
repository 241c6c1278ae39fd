/**
 * Evidence clip: time from "segments exist" to "clip cut (stream copy), hashed and in the
 * content-addressed store", for a 30 s clip of 1080p25 H.264 across 4 s segments, against a bare
 * `ffmpeg -f concat -c copy` of the same segments in the same run. Target: ≤ 0.5 s, ratio ≤ 1.3.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordTestSegments } from '../fixtures/index.js';
import { cutClip } from '../ingest/index.js';
import type { Benchmark } from './record.js';

const RUNS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function makeSegments(dir: string): { path: string; startMs: number; endMs: number }[] {
  return recordTestSegments({
    dir,
    source: 'testsrc2=size=1920x1080:rate=25',
    seconds: 44,
    segmentSeconds: 4,
    gop: 50,
    encoder: ['-b:v', '4M'],
  }).map((s) => ({ path: s.path, startMs: s.startS * 1000, endMs: s.endS * 1000 }));
}

const bench: Benchmark = {
  name: 'evidence-clip',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'mw-bench-clip-'));
    const segments = makeSegments(dir);
    const from = 5_300;
    const to = from + 30_000;
    const used = segments.filter((s) => s.endMs > from && s.startMs < to);
    const ours: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const list = join(dir, `bare${String(i)}.txt`);
      writeFileSync(list, used.map((s) => `file '${s.path}'`).join('\n'));
      let t = performance.now();
      execFileSync('ffmpeg', [
        '-v',
        'error',
        '-y',
        '-f',
        'concat',
        '-safe',
        '0',
        '-i',
        list,
        '-c',
        'copy',
        join(dir, `bare${String(i)}.mp4`),
      ]);
      bare.push(performance.now() - t);

      t = performance.now();
      const out = join(dir, `clip${String(i)}.mp4`);
      await cutClip({ ffmpeg: 'ffmpeg', segments: used, fromMs: from, toMs: to, outPath: out });
      const { createHash } = await import('node:crypto');
      createHash('sha256').update(readFileSync(out)).digest('hex');
      ours.push(performance.now() - t);
      if (statSync(out).size === 0) throw new Error('empty clip');
    }
    const value = median(ours) / 1000;
    const baseline = median(bare) / 1000;
    return {
      metric: '30 s 1080p clip ready (cut + SHA-256), median of 7',
      value,
      unit: 's',
      baseline,
      target: '≤ 0.5 s; ratio ≤ 1.3 vs bare ffmpeg concat copy',
    };
  },
};
export default bench;

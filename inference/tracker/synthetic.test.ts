import { describe, expect, it } from 'vitest';
import { ByteTracker } from './bytetrack.js';
import { idf1, mota, type EvalFrame } from './metrics.js';
import type { Box, Detection } from './types.js';

/** Seeded PRNG (mulberry32) and Box–Muller noise, so the scene is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Obj {
  id: number;
  cls: string;
  start: Box;
  vx: number;
  vy: number;
  hidden: (frame: number) => boolean;
  score: (frame: number) => number;
}

const FPS = 5;
const FRAMES = 60;

const OBJECTS: Obj[] = [
  // A truck and a car crossing each other in opposite directions (their boxes overlap mid-way).
  {
    id: 1,
    cls: 'truck_covered',
    start: { x: 100, y: 300, w: 160, h: 80 },
    vx: 80,
    vy: 0,
    hidden: () => false,
    score: () => 0.85,
  },
  {
    id: 2,
    cls: 'car',
    start: { x: 1000, y: 330, w: 100, h: 50 },
    vx: -70,
    vy: 0,
    hidden: () => false,
    score: () => 0.8,
  },
  // A pedestrian hidden for 5 frames (20–24).
  {
    id: 3,
    cls: 'person',
    start: { x: 400, y: 80, w: 40, h: 100 },
    vx: 25,
    vy: 10,
    hidden: (f) => f >= 20 && f < 25,
    score: () => 0.75,
  },
  // An uncovered truck half-occluded on frames 30–33: its score drops below the high threshold.
  {
    id: 4,
    cls: 'truck_uncovered',
    start: { x: 200, y: 550, w: 180, h: 90 },
    vx: 40,
    vy: -5,
    hidden: () => false,
    score: (f) => (f >= 30 && f < 34 ? 0.3 : 0.9),
  },
];

function scene(seed: number): {
  dets: Detection[][];
  source: number[][];
  truth: { id: number; box: Box }[][];
} {
  const r = rng(seed);
  const gauss = (s: number) => s * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const dets: Detection[][] = [];
  const source: number[][] = []; // the object behind each detection (0: clutter)
  const truth: { id: number; box: Box }[][] = [];
  for (let f = 0; f < FRAMES; f++) {
    const t = f / FPS;
    const fd: Detection[] = [];
    const fs: number[] = [];
    const ft: { id: number; box: Box }[] = [];
    for (const o of OBJECTS) {
      if (o.hidden(f)) continue; // a fully hidden object is not scored (as in MOT benchmarks' visibility filter)
      const box = { x: o.start.x + o.vx * t, y: o.start.y + o.vy * t, w: o.start.w, h: o.start.h };
      ft.push({ id: o.id, box });
      fs.push(o.id);
      const n = 0.02 * box.h; // noise of a few pixels, relative to the object size
      fd.push({
        cls: o.cls,
        score: o.score(f),
        box: { x: box.x + gauss(n), y: box.y + gauss(n), w: box.w + gauss(n), h: box.h + gauss(n) },
      });
    }
    // Clutter: a weak blip every few frames that must not become a track.
    if (f % 7 === 3) {
      fd.push({ cls: 'car', score: 0.4 + 0.15 * r(), box: { x: 1500 * r(), y: 900 * r(), w: 60, h: 30 } });
      fs.push(0);
    }
    // The detector's output order is not stable from frame to frame.
    if (r() < 0.5) {
      fd.reverse();
      fs.reverse();
    }
    dets.push(fd);
    source.push(fs);
    truth.push(ft);
  }
  return { dets, source, truth };
}

describe('ByteTracker on synthetic linear tracks with noise and occlusion', () => {
  for (const seed of [1, 2, 3]) {
    it(`keeps one id per object and scores MOTA and IDF1 above 0.95 (seed ${seed})`, () => {
      const { dets, source, truth } = scene(seed);
      const tracker = new ByteTracker();
      const frames: EvalFrame[] = [];
      const idsOf = new Map<number, Set<number>>();
      dets.forEach((d, f) => {
        const tracks = tracker.update(d, (f * 1000) / FPS);
        const hyp = tracks.filter((t) => t.state === 'confirmed').map((t) => ({ id: t.id, box: t.box }));
        frames.push({ gt: truth[f] ?? [], hyp });
        for (const t of tracks) {
          if (t.detIndex === null) continue;
          const obj = source[f]?.[t.detIndex] ?? 0;
          expect(obj).not.toBe(0); // clutter never holds a track
          idsOf.set(obj, (idsOf.get(obj) ?? new Set()).add(t.id));
        }
      });
      for (const o of OBJECTS) expect([o.id, idsOf.get(o.id)?.size]).toEqual([o.id, 1]);
      const m = mota(frames);
      const i = idf1(frames);
      expect(m.idsw).toBe(0);
      expect(m.fp).toBe(0);
      // The only misses: the first frame of each object (a track is confirmed on its second hit).
      expect(m.fn).toBe(OBJECTS.length);
      expect(m.mota).toBeGreaterThan(0.95);
      expect(i.idf1).toBeGreaterThan(0.95);
    });
  }
});

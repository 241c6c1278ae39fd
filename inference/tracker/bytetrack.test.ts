import { describe, expect, it } from 'vitest';
import { ByteTracker } from './bytetrack.js';
import { classBars, DEFAULT_TRACKER_CONFIG, type Detection, type Track } from './types.js';

const det = (cls: string, score: number, x: number, y = 100, w = 80, h = 40): Detection => ({
  cls,
  score,
  box: { x, y, w, h },
});

describe('ByteTracker', () => {
  it('numbers tracks in detection order and confirms them on the second hit', () => {
    const t = new ByteTracker();
    const f0 = t.update([det('car', 0.9, 500), det('truck_covered', 0.8, 100)], 0);
    expect(f0.map((x) => [x.id, x.cls, x.state])).toEqual([
      [1, 'car', 'tentative'],
      [2, 'truck_covered', 'tentative'],
    ]);
    const f1 = t.update([det('truck_covered', 0.8, 104), det('car', 0.9, 505)], 200);
    expect(f1.map((x) => [x.id, x.state, x.detIndex])).toEqual([
      [1, 'confirmed', 1],
      [2, 'confirmed', 0],
    ]);
  });

  it('drops a tentative track that misses its second frame; a weak detection never starts one', () => {
    const t = new ByteTracker();
    t.update([det('car', 0.9, 500), det('car', 0.55, 100), det('car', 0.3, 300)], 0);
    expect(t.current().map((x) => x.id)).toEqual([1]);
    expect(t.update([], 200)).toEqual([]);
  });

  it('starts tracks at each class’s own operating score, keeping the gap between the bars', () => {
    // The detector is sure of dust at 0.25 and of cars at 0.7: a 0.45 dust cloud is a track, a 0.55 car is not.
    const cfg = { classThresholds: { dust: 0.25, car: 0.7 } };
    const dust = classBars({ ...DEFAULT_TRACKER_CONFIG, ...cfg }, 'dust');
    expect(dust.high).toBe(0.25);
    expect(dust.newTrack).toBeCloseTo(0.35, 9);
    expect(classBars({ ...DEFAULT_TRACKER_CONFIG, ...cfg }, 'car')).toEqual({ high: 0.5, newTrack: 0.6 });
    expect(classBars({ ...DEFAULT_TRACKER_CONFIG, ...cfg }, 'person')).toEqual({ high: 0.5, newTrack: 0.6 });
    const frames = [0, 200, 400].map(
      (ms) => [det('dust', 0.45, 100 + ms / 20), det('car', 0.55, 400)] as const,
    );
    const calibrated = new ByteTracker(cfg);
    const plain = new ByteTracker();
    for (const [i, f] of frames.entries()) {
      calibrated.update(f, i * 200);
      plain.update(f, i * 200);
    }
    expect(calibrated.current().map((x) => [x.cls, x.state])).toEqual([['dust', 'confirmed']]);
    expect(plain.current()).toEqual([]);
  });

  it('reports the matched detection’s box, and the motion prediction while lost', () => {
    // A truck entering at the left edge: its box grows from a sliver to full length in a second.
    const t = new ByteTracker();
    const widths = [20, 50, 80, 110, 140, 160];
    let last: Track | undefined;
    widths.forEach((w, i) => {
      const d = det('truck_covered', 0.9, 0, 200, w, 60);
      [last] = t.update([d], i * 200);
      expect(last?.box).toEqual(d.box);
    });
    const [lost] = t.update([], 1200);
    expect(lost?.state).toBe('lost');
    expect(lost?.box).not.toEqual(last?.box);
    expect(lost?.box.x ?? 0).toBeGreaterThan(last?.box.x ?? 0);
  });

  it('keeps the id through a 5-frame occlusion and reports the gap as lost', () => {
    const t = new ByteTracker();
    const ids = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const visible = i < 8 || i >= 13;
      const out = t.update(visible ? [det('person', 0.9, 100 + 10 * i)] : [], i * 200);
      const only = out[0];
      expect(out).toHaveLength(1);
      if (!only) continue;
      expect(only.state).toBe(i === 0 ? 'tentative' : visible ? 'confirmed' : 'lost');
      ids.add(only.id);
    }
    expect([...ids]).toEqual([1]);
  });

  it('forgets a lost track after the buffer, and the object then gets a new id', () => {
    const t = new ByteTracker({ trackBufferFrames: 3 });
    t.update([det('car', 0.9, 100)], 0);
    t.update([det('car', 0.9, 100)], 200);
    for (let i = 2; i <= 4; i++) expect(t.update([], i * 200).map((x) => x.state)).toEqual(['lost']);
    expect(t.update([], 1000)).toEqual([]);
    expect(t.update([det('car', 0.9, 100)], 1200).map((x) => x.id)).toEqual([2]);
  });

  it('a low-score detection keeps a track alive (second association) but does not resurrect a lost one', () => {
    const t = new ByteTracker();
    t.update([det('truck_covered', 0.9, 100)], 0);
    t.update([det('truck_covered', 0.9, 110)], 200);
    const out = t.update([det('truck_covered', 0.2, 120)], 400);
    expect(out.map((x) => [x.id, x.state, x.score])).toEqual([[1, 'confirmed', 0.2]]);
    t.update([], 600);
    // Lost tracks only take high detections: a faint box near it stays unmatched.
    expect(t.update([det('truck_covered', 0.2, 140)], 800).map((x) => x.state)).toEqual(['lost']);
  });

  it('never lets a truck track jump to a person, but lets covered/uncovered alternate', () => {
    const t = new ByteTracker();
    t.update([det('truck_covered', 0.9, 100)], 0);
    t.update([det('truck_covered', 0.9, 100)], 200);
    const a = t.update([det('truck_uncovered', 0.8, 100)], 400);
    expect(a.map((x) => [x.id, x.cls])).toEqual([[1, 'truck_uncovered']]);
    const b = t.update([det('person', 0.9, 100)], 600);
    expect(b.map((x) => [x.id, x.cls, x.state])).toEqual([
      [1, 'truck_uncovered', 'lost'],
      [2, 'person', 'tentative'],
    ]);
  });

  it('takes a truck read both covered and uncovered in one frame as one truck: the surer reading, one track', () => {
    const t = new ByteTracker();
    const frames = [
      [det('truck_covered', 0.8, 100), det('truck_uncovered', 0.7, 102)],
      [det('truck_uncovered', 0.86, 110), det('truck_covered', 0.75, 108)],
      [det('truck_uncovered', 0.56, 120), det('truck_covered', 0.47, 121)],
      [det('truck_covered', 0.72, 130), det('truck_uncovered', 0.71, 131)],
    ];
    const seen = frames.map((f, i) => t.update(f, i * 200));
    expect(seen.map((f) => f.map((x) => [x.id, x.cls, x.score]))).toEqual([
      [[1, 'truck_covered', 0.8]],
      [[1, 'truck_uncovered', 0.86]],
      [[1, 'truck_uncovered', 0.56]],
      [[1, 'truck_covered', 0.72]],
    ]);
    // Two trucks side by side (no overlap) stay two, whatever their classes.
    const u = new ByteTracker();
    expect(u.update([det('truck_covered', 0.8, 100), det('truck_uncovered', 0.7, 300)], 0)).toHaveLength(2);
  });

  it('matches the optimal pairing when two objects are close, and reports velocity in px/s', () => {
    const t = new ByteTracker();
    let out = t.update([det('car', 0.9, 0), det('car', 0.9, 60)], 0);
    for (let i = 1; i <= 15; i++) {
      out = t.update([det('car', 0.9, 60 + 10 * i), det('car', 0.9, 10 * i)], i * 200);
    }
    const byId = new Map(out.map((x) => [x.id, x]));
    expect(byId.get(1)?.box.x).toBeCloseTo(150, 0);
    expect(byId.get(2)?.box.x).toBeCloseTo(210, 0);
    expect(byId.get(1)?.velocity.vx).toBeCloseTo(50, -1);
    expect(Math.abs(byId.get(1)?.velocity.vy ?? 1)).toBeLessThan(1);
  });

  it('skips degenerate boxes instead of letting them poison a track', () => {
    const t = new ByteTracker();
    t.update([det('car', 0.9, 100)], 0);
    const out = t.update([det('car', 0.9, NaN), det('car', 0.9, 100, 100, 0, 40), det('car', 0.9, 102)], 200);
    expect(out.map((x) => [x.id, x.state, x.detIndex])).toEqual([[1, 'confirmed', 2]]);
    expect(Number.isFinite(out[0]?.box.x)).toBe(true);
  });

  it('is deterministic', () => {
    const run = () => {
      const t = new ByteTracker();
      const out = [];
      for (let i = 0; i < 10; i++) {
        out.push(
          t.update([det('car', 0.9, 10 * i), det('car', 0.7, 200 - 5 * i), det('person', 0.3, 50)], i * 200),
        );
      }
      return out;
    };
    expect(run()).toEqual(run());
  });
});

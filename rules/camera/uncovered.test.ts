import { describe, expect, it } from 'vitest';
import { box, run, square, track } from './test-frames.js';

// 5 fps: frame i is at i × 200 ms. Median window 1 s, open after 1 s, close after 1 s unseen.
const TRUCK = box(100, 200, 300, 150);

describe('uncovered_load', () => {
  it('opens once after 1 s and closes once when the truck has been gone 1 s', () => {
    // Seen on frames 0–10 (0–2000 ms). Opens at 1000 ms (1 s after the first sighting); last seen
    // at 2000 ms; closed on the first frame more than 1 s later: frame 11 is 2200 … frame 16 = 3200 ms.
    const { briefs } = run(20, 200, (i) => (i <= 10 ? [track(1, 'truck_uncovered', TRUCK)] : []));
    expect(briefs).toEqual([
      { phase: 'opened', type: 'uncovered_load', atMs: 1000, startMs: 0, trackIds: [1] },
      { phase: 'closed', type: 'uncovered_load', atMs: 3200, startMs: 0, endMs: 2000, trackIds: [1] },
    ]);
  });

  it('does not close and reopen when the detection is missing for two frames (flicker)', () => {
    // Frames 6–7 missing (as a lost track, then absent): the gap 1000 → 1600 ms is under 1 s.
    const { briefs } = run(25, 200, (i) => {
      if (i === 6) return [track(1, 'truck_uncovered', TRUCK, { state: 'lost' })];
      if (i === 7 || i > 15) return [];
      return [track(1, 'truck_uncovered', TRUCK)];
    });
    expect(briefs.map((b) => [b.phase, b.atMs, b.startMs, b.endMs])).toEqual([
      ['opened', 1000, 0, undefined],
      ['closed', 4200, 0, 3000],
    ]);
  });

  it('rides out a truck briefly misread as covered (median over the window)', () => {
    // Frames 7–8 read truck_covered (same track). Window at frame 8 = frames 4–8:
    // scores [0.8, 0.8, 0.8, 0, 0] → median 0.8 ≥ 0.5, so the event holds.
    const { briefs } = run(22, 200, (i) =>
      i <= 15 ? [track(1, i === 7 || i === 8 ? 'truck_covered' : 'truck_uncovered', TRUCK)] : [],
    );
    expect(briefs.map((b) => [b.phase, b.atMs, b.endMs])).toEqual([
      ['opened', 1000, undefined],
      ['closed', 4200, 3000],
    ]);
  });

  it('keeps one event for a truck still in view whose load reads covered for a while (tipping)', () => {
    // Frames 11–20 read covered: the last hit is frame 12 (2400 ms), the next frame 23 (4600 ms), a
    // 2.2 s gap. The truck never left, so it is the same offence; it leaves after frame 30 (6000 ms).
    const cls = (i: number): string => (i >= 11 && i <= 20 ? 'truck_covered' : 'truck_uncovered');
    const { briefs } = run(40, 200, (i) => (i <= 30 ? [track(1, cls(i), TRUCK)] : []));
    expect(briefs.map((b) => [b.phase, b.atMs, b.startMs, b.endMs])).toEqual([
      ['opened', 1000, 0, undefined],
      ['closed', 7200, 0, 6000],
    ]);
    // Read covered for longer than the 5 s in-view gap, it is a second event; the first closes as
    // soon as the gap has passed (frame 39 at 7800 ms is the first over 5 s after 2400 ms).
    const long = run(60, 200, (i) =>
      i <= 50 ? [track(1, i >= 11 && i <= 40 ? 'truck_covered' : 'truck_uncovered', TRUCK)] : [],
    );
    expect(long.briefs.map((b) => [b.phase, b.atMs, b.startMs, b.endMs])).toEqual([
      ['opened', 1000, 0, undefined],
      ['closed', 7600, 0, 2400],
      ['opened', 9600, 8600, undefined],
      ['closed', 11200, 8600, 10000],
    ]);
    // Another truck in view does not hold the first truck's event open.
    const other = box(400, 200, 150, 80);
    const gone = run(30, 200, (i) => [
      ...(i <= 10 ? [track(1, 'truck_uncovered', TRUCK)] : []),
      track(2, 'truck_covered', other),
    ]);
    expect(gone.briefs.map((b) => [b.phase, b.atMs, b.endMs])).toEqual([
      ['opened', 1000, undefined],
      ['closed', 3200, 2000],
    ]);
  });

  it('ignores a covered truck misread as uncovered for two frames, and a low score', () => {
    // Frames 5–6 uncovered among covered: window medians stay 0 (at most 2 of 5 samples).
    const misread = run(30, 200, (i) => [
      track(1, i === 5 || i === 6 ? 'truck_uncovered' : 'truck_covered', TRUCK),
    ]);
    expect(misread.briefs).toEqual([]);
    const weak = run(30, 200, () => [track(1, 'truck_uncovered', TRUCK, { score: 0.4 })]);
    expect(weak.briefs).toEqual([]);
    // The same weak truck clears a per-class threshold of 0.35.
    const tuned = run(30, 200, () => [track(1, 'truck_uncovered', TRUCK, { score: 0.4 })], [], {
      scoreThreshold: { truck_uncovered: 0.35 },
    });
    expect(tuned.briefs.map((b) => b.phase)).toEqual(['opened']);
  });

  it('never counts a truck in an ignore zone', () => {
    const zones = [{ id: 'billboard', kind: 'ignore' as const, polygon: square(0, 0, 500, 500) }];
    expect(run(30, 200, () => [track(1, 'truck_uncovered', TRUCK)], zones).briefs).toEqual([]);
  });

  it('carries the best frame, bounded boxes and a confidence', () => {
    const { events } = run(40, 200, (i) =>
      i <= 30
        ? [track(1, 'truck_uncovered', box(100 + 10 * i, 200, 300, 150), { score: i === 12 ? 0.95 : 0.7 })]
        : [],
    );
    const closed = events.find((e) => e.phase === 'closed');
    // The median is 0.7 on every frame (one 0.95 in a window of five), so the confidence is 0.7;
    // the snapshot is frame 12, where the detection itself scored best (x = 100 + 10 × 12).
    expect(closed?.bestFrame).toEqual({
      timeMs: (closed?.startMs ?? 0) + 2400,
      frameSeq: 12,
      trackId: 1,
      box: box(220, 200, 300, 150),
    });
    expect(closed?.confidence).toBe(0.7);
    // 0–6000 ms, one sample per 500 ms at most: 0, 600, 1200, … 6000 → 11 samples (frames are 200 ms apart).
    expect(closed?.boxes.map((b) => b.timeMs - closed.startMs)).toEqual([
      0, 600, 1200, 1800, 2400, 3000, 3600, 4200, 4800, 5400, 6000,
    ]);
  });
});

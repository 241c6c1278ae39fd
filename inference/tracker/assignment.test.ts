import { describe, expect, it } from 'vitest';
import { iou, linearAssignment } from './assignment.js';

describe('iou', () => {
  it('is intersection over union of two boxes', () => {
    // 10×10 boxes offset by 5 px: intersection 5×10 = 50, union 100 + 100 − 50 = 150.
    expect(iou({ x: 0, y: 0, w: 10, h: 10 }, { x: 5, y: 0, w: 10, h: 10 })).toBeCloseTo(1 / 3, 12);
    expect(iou({ x: 0, y: 0, w: 10, h: 10 }, { x: 10, y: 0, w: 10, h: 10 })).toBe(0);
    expect(iou({ x: 1, y: 2, w: 3, h: 4 }, { x: 1, y: 2, w: 3, h: 4 })).toBe(1);
  });
});

describe('linearAssignment', () => {
  it('finds the minimum total cost, not the greedy one', () => {
    // Greedy takes (0,0)=1 then (1,1)=10: total 11. Optimal is (0,1)+(1,0) = 2 + 2 = 4.
    const cost = [
      [1, 2],
      [2, 10],
    ];
    expect(linearAssignment(cost, 100)).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('leaves a pair unmatched when its cost reaches the limit, and never matches Infinity', () => {
    const cost = [
      [0.9, Infinity],
      [Infinity, 0.3],
    ];
    expect(linearAssignment(cost, 0.8)).toEqual([[1, 1]]);
    expect(linearAssignment(cost, 0.9)).toEqual([[1, 1]]);
    expect(linearAssignment(cost, 0.91)).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it('prefers two cheap-ish matches to one cheap match plus two unmatched', () => {
    // Option A: (0,0)=0.1 alone, rows 1 and column 1 unmatched: 0.1 + 2 × 0.5 = 1.1.
    // Option B: (0,1)=0.4 + (1,0)=0.4 = 0.8. B wins.
    const cost = [
      [0.1, 0.4],
      [0.4, Infinity],
    ];
    expect(linearAssignment(cost, 1)).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('handles rectangular and empty matrices', () => {
    expect(linearAssignment([[5, 1, 3]], 10)).toEqual([[0, 1]]);
    expect(linearAssignment([[2], [1], [3]], 10)).toEqual([[1, 0]]);
    expect(linearAssignment([], 1)).toEqual([]);
    expect(linearAssignment([[]], 1)).toEqual([]);
  });

  it('solves independent groups separately, still optimally, and fast on a crowded frame', () => {
    // 400 detections and tracks in neighbouring pairs: within a pair, the crossed matching costs
    // 0.05 + 0.05 = 0.1 against 0.1 + 0.1 = 0.2 straight, so every pair is matched crossed.
    const n = 400;
    const cost = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (j === i ? 0.1 : (i ^ 1) === j ? 0.05 : Infinity)),
    );
    const t0 = performance.now();
    const pairs = linearAssignment(cost, 0.8);
    const ms = performance.now() - t0;
    expect(pairs).toEqual(Array.from({ length: n }, (_, i) => [i, i ^ 1]));
    // One 800 × 800 solve would take seconds; 400 small ones take milliseconds.
    expect(ms).toBeLessThan(300);
  });
});

import { describe, expect, it } from 'vitest';
import { idf1, mota, type EvalFrame } from './metrics.js';

const at = (x: number) => ({ x, y: 0, w: 10, h: 10 });

describe('MOTA and IDF1 on hand-made cases', () => {
  it('a perfect tracker scores 1', () => {
    // 2 objects × 3 frames, every hypothesis on its object with one id each.
    const frames: EvalFrame[] = [0, 1, 2].map((i) => ({
      gt: [
        { id: 1, box: at(i) },
        { id: 2, box: at(100 + i) },
      ],
      hyp: [
        { id: 7, box: at(i) },
        { id: 8, box: at(100 + i) },
      ],
    }));
    expect(mota(frames)).toMatchObject({ mota: 1, fn: 0, fp: 0, idsw: 0, gt: 6 });
    expect(idf1(frames)).toMatchObject({ idf1: 1, idtp: 6 });
  });

  it('an id switch costs MOTA one error and IDF1 half the frames', () => {
    // One object, 4 frames; hypothesis id 1 on frames 0–1, id 2 on frames 2–3.
    // MOTA: FN 0, FP 0, IDSW 1 (frame 2) → 1 − 1/4 = 0.75.
    // IDF1: the object pairs with one id for the whole sequence: best IDTP = 2 frames;
    // GT detections 4, hypothesis detections 4 → 2·2 / (4 + 4) = 0.5.
    const frames: EvalFrame[] = [0, 1, 2, 3].map((i) => ({
      gt: [{ id: 1, box: at(i) }],
      hyp: [{ id: i < 2 ? 1 : 2, box: at(i) }],
    }));
    expect(mota(frames)).toMatchObject({ mota: 0.75, idsw: 1, fn: 0, fp: 0 });
    expect(idf1(frames)).toMatchObject({ idf1: 0.5, idtp: 2, gt: 4, hyp: 4 });
  });

  it('counts a miss and a false positive', () => {
    // One object, 5 frames; missed on frame 2 (FN 1); a stray hypothesis far away on frame 3 (FP 1).
    // MOTA = 1 − (1 + 1 + 0)/5 = 0.6.
    // IDF1: IDTP 4 (object ↔ id 5); GT 5, hypotheses 4 + 1 = 5 → 2·4 / 10 = 0.8.
    const frames: EvalFrame[] = [0, 1, 2, 3, 4].map((i) => ({
      gt: [{ id: 1, box: at(i) }],
      hyp: [...(i === 2 ? [] : [{ id: 5, box: at(i) }]), ...(i === 3 ? [{ id: 9, box: at(500) }] : [])],
    }));
    expect(mota(frames)).toMatchObject({ mota: 0.6, fn: 1, fp: 1, idsw: 0 });
    expect(idf1(frames).idf1).toBeCloseTo(0.8, 12);
  });

  it('a box below the IoU bar is a miss plus a false positive', () => {
    // 10×10 boxes 5 px apart: IoU = 50/150 = 1/3 < 0.5 → FN 1 + FP 1 over 1 GT → MOTA = 1 − 2 = −1.
    // IDF1: no pair overlaps enough → IDTP 0 → 0. At a bar of 0.3 the same pair matches.
    const frames: EvalFrame[] = [{ gt: [{ id: 1, box: at(0) }], hyp: [{ id: 1, box: at(5) }] }];
    expect(mota(frames).mota).toBe(-1);
    expect(idf1(frames).idf1).toBe(0);
    expect(mota(frames, 0.3).mota).toBe(1);
    expect(idf1(frames, 0.3).idf1).toBe(1);
  });

  it('keeps a continuing match even when another hypothesis overlaps better (no id switch)', () => {
    // Frame 0: object ↔ id 1 exactly. Frame 1: id 1 is 2 px off (IoU 80/120 = 0.667), id 2 sits
    // exactly on the object. CLEAR-MOT keeps id 1 (still ≥ 0.5): IDSW 0, FP 1 (id 2) → MOTA = 1 − 1/2 = 0.5.
    const frames: EvalFrame[] = [
      { gt: [{ id: 1, box: at(0) }], hyp: [{ id: 1, box: at(0) }] },
      {
        gt: [{ id: 1, box: at(0) }],
        hyp: [
          { id: 2, box: at(0) },
          { id: 1, box: at(2) },
        ],
      },
    ];
    expect(mota(frames)).toMatchObject({ mota: 0.5, idsw: 0, fp: 1 });
  });
});

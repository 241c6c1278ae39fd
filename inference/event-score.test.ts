import { describe, expect, it } from 'vitest';
import { scoreEvents } from './event-score.js';

const ev = (type: string, s: number, e: number) => ({ type, startMs: s * 1000, endMs: e * 1000 });

describe('scoreEvents', () => {
  it('matches by type and overlap, one prediction per truth', () => {
    const truth = [ev('dust', 6, 17), ev('dumping', 10, 15), ev('dust', 24, 28)];
    const predicted = [
      ev('dust', 7, 16),
      ev('dust', 8, 12),
      ev('dumping', 14, 29),
      ev('uncovered_load', 5, 11),
    ];
    const s = scoreEvents(predicted, truth);
    expect(s.matches).toEqual([0, null, 1, null]); // the second dust is a fragment: a false positive
    expect(s).toMatchObject({ truePositives: 2, falsePositives: 2, falseNegatives: 1 });
    expect(s.precision).toBe(0.5);
    expect(s.recall).toBeCloseTo(2 / 3);
  });

  it('allows a confirmation delay up to the slack, not beyond', () => {
    const truth = [ev('uncovered_load', 5, 9)];
    expect(scoreEvents([ev('uncovered_load', 9.5, 12)], truth).truePositives).toBe(1);
    expect(scoreEvents([ev('uncovered_load', 10.5, 12)], truth).truePositives).toBe(0);
    expect(scoreEvents([ev('dust', 5, 9)], truth).truePositives).toBe(0);
  });

  it('scores a silent distractor clip as perfect and any event on it as a false positive', () => {
    expect(scoreEvents([], [])).toMatchObject({ precision: 1, recall: 1 });
    expect(scoreEvents([ev('dumping', 1, 2)], [])).toMatchObject({ precision: 0, falsePositives: 1 });
  });
});

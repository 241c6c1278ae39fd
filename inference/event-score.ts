/** An event as an interval on one clock (ms): predicted by the camera rules or from ground truth. */
export interface ScoredEvent {
  readonly type: string;
  readonly startMs: number;
  readonly endMs: number;
}

export interface EventScore {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
  /** Per predicted event: the truth it matched, or null (a false positive). */
  readonly matches: readonly (number | null)[];
}

const overlapMs = (a: ScoredEvent, b: ScoredEvent, slackMs: number): number =>
  Math.min(a.endMs, b.endMs) + slackMs - Math.max(a.startMs, b.startMs);

/**
 * Event-level precision and recall: a prediction matches a truth of the same type whose interval
 * it overlaps (within `slackMs`, for rules that confirm an event after its true start); each truth
 * matches at most one prediction, the best-overlapping first. Pure.
 */
export function scoreEvents(
  predicted: readonly ScoredEvent[],
  truth: readonly ScoredEvent[],
  slackMs = 1000,
): EventScore {
  const pairs: { p: number; t: number; overlap: number }[] = [];
  predicted.forEach((p, pi) => {
    truth.forEach((t, ti) => {
      const overlap = p.type === t.type ? overlapMs(p, t, slackMs) : -1;
      if (overlap >= 0) pairs.push({ p: pi, t: ti, overlap });
    });
  });
  pairs.sort((a, b) => b.overlap - a.overlap || a.p - b.p || a.t - b.t);
  const matches: (number | null)[] = predicted.map(() => null);
  const used = new Set<number>();
  for (const { p, t } of pairs) {
    if (matches[p] !== null || used.has(t)) continue;
    matches[p] = t;
    used.add(t);
  }
  const tp = used.size;
  return {
    truePositives: tp,
    falsePositives: predicted.length - tp,
    falseNegatives: truth.length - tp,
    // No predictions and no truth is perfect on both counts (a silent distractor clip).
    precision: predicted.length === 0 ? 1 : tp / predicted.length,
    recall: truth.length === 0 ? 1 : tp / truth.length,
    matches,
  };
}

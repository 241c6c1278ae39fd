/** Pure: which recording segments retention may delete now. */
export interface SegmentInfo {
  readonly id: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly bytes: number;
}

export interface HoldRange {
  readonly fromMs: number;
  readonly toMs: number;
}

export interface RetentionPolicy {
  readonly maxAgeMs: number;
  readonly maxBytes: number;
}

const overlaps = (s: SegmentInfo, h: HoldRange): boolean => s.startMs < h.toMs && s.endMs > h.fromMs;

/**
 * Oldest first: everything past the age limit, then more until the camera's total fits the
 * disk budget. A segment that evidence references or that is on hold is never chosen, even when
 * that leaves the budget exceeded (the caller reports it).
 */
export function selectForDeletion(
  segments: readonly SegmentInfo[],
  holds: readonly HoldRange[],
  nowMs: number,
  policy: RetentionPolicy,
): SegmentInfo[] {
  const sorted = [...segments].sort((a, b) => a.startMs - b.startMs);
  const deletable = (s: SegmentInfo): boolean => !holds.some((h) => overlaps(s, h));
  let total = sorted.reduce((sum, s) => sum + s.bytes, 0);
  const chosen: SegmentInfo[] = [];
  for (const s of sorted) {
    if (!deletable(s)) continue;
    const tooOld = s.endMs < nowMs - policy.maxAgeMs;
    const overBudget = total > policy.maxBytes;
    if (!tooOld && !overBudget) continue;
    chosen.push(s);
    total -= s.bytes;
  }
  return chosen;
}

import { describe, expect, it } from 'vitest';
import { PointFilter, type FilterSettings } from './filters.js';
import type { GpsPoint } from './point.js';
import { ReorderBuffer } from './reorder.js';

const S: FilterSettings = {
  reorderToleranceMs: 30_000,
  futureToleranceMs: 120_000,
  maxAgeMs: 7 * 86_400_000,
  maxSpeedKmh: 180,
  jumpMinDistanceM: 500,
  jumpReanchorCount: 3,
};
const NOW = Date.UTC(2026, 10, 27, 4, 0, 0);

function pt(tS: number, lon = 114.05, lat = 22.54, more: Partial<GpsPoint> = {}): GpsPoint {
  return {
    deviceId: '13912345678',
    fixTimeMs: NOW + tS * 1000,
    receivedMs: NOW,
    lon,
    lat,
    alarmBits: 0,
    statusBits: 2,
    source: 'jt808',
    valid: true,
    backlog: false,
    extra: {},
    ...more,
  };
}

const reasons = (f: PointFilter, points: GpsPoint[]): (string | null)[] => {
  const r = f.screen(points, NOW);
  const byPoint = new Map(r.rejected.map((x) => [x.point, x.reason]));
  return points.map((p) => byPoint.get(p) ?? null);
};

describe('point filters', () => {
  it('rejects a fix the receiver marks invalid', () => {
    expect(reasons(new PointFilter(S), [pt(0, 114, 22, { valid: false })])).toEqual(['invalid_fix']);
  });

  it('rejects zero and out-of-range coordinates', () => {
    expect(reasons(new PointFilter(S), [pt(0, 0, 0), pt(1, 181, 22), pt(2, 114, Number.NaN)])).toEqual([
      'zero_coordinates',
      'out_of_range',
      'out_of_range',
    ]);
  });

  it('rejects duplicates (same device, same fix time), within a batch and across batches', () => {
    const f = new PointFilter(S);
    expect(reasons(f, [pt(0), pt(0)])).toEqual([null, 'duplicate']);
    expect(reasons(f, [pt(0)])).toEqual(['duplicate']);
    // another device at the same time is not a duplicate
    expect(reasons(f, [pt(0, 114.05, 22.54, { deviceId: 'other' })])).toEqual([null]);
  });

  it('accepts out-of-order points within the tolerance and rejects later ones', () => {
    const f = new PointFilter(S);
    expect(reasons(f, [pt(100)])).toEqual([null]);
    expect(reasons(f, [pt(80)])).toEqual([null]);
    expect(reasons(f, [pt(60)])).toEqual(['out_of_order']);
  });

  it('accepts blind-area backlog however late it is', () => {
    const f = new PointFilter(S);
    expect(reasons(f, [pt(100)])).toEqual([null]);
    expect(reasons(f, [pt(-3600, 114.2, 22.6, { backlog: true })])).toEqual([null]);
  });

  it('rejects future and too-old fix times', () => {
    const f = new PointFilter(S);
    expect(reasons(f, [pt(60), pt(3600), pt(-8 * 86_400)])).toEqual([null, 'future', 'too_old']);
  });

  it('rejects impossible jumps but not noise, and re-anchors after consistent points', () => {
    const f = new PointFilter(S);
    // 10 s apart: 1 km away = 360 km/h (jump); 100 m away is noise-sized.
    expect(reasons(f, [pt(0), pt(10, 114.05 + 0.001, 22.54)])).toEqual([null, null]);
    expect(reasons(f, [pt(20, 114.06, 22.54)])).toEqual(['impossible_jump']);
    // A single outlier does not move the track: the next normal point is fine.
    expect(reasons(f, [pt(30, 114.051, 22.54)])).toEqual([null]);
    // A receiver that is consistently elsewhere: two quarantined, the third re-anchors.
    expect(reasons(f, [pt(40, 114.2, 22.54), pt(50, 114.2001, 22.54), pt(60, 114.2002, 22.54)])).toEqual([
      'impossible_jump',
      'impossible_jump',
      null,
    ]);
    expect(reasons(f, [pt(70, 114.2003, 22.54)])).toEqual([null]);
  });

  it('forgets a batch that could not be stored, so its re-send is judged afresh', () => {
    const f = new PointFilter(S);
    expect(reasons(f, [pt(0)])).toEqual([null]);
    const lost = f.screen([pt(100), pt(110)], NOW);
    expect(lost.accepted).toHaveLength(2);
    f.undo(lost);
    // Without undo these would be duplicates; and 50 would be out of order behind 110.
    expect(reasons(f, [pt(50)])).toEqual([null]);
    expect(reasons(f, [pt(100), pt(110)])).toEqual([null, null]);
  });

  it('screens a batch in fix-time order', () => {
    const f = new PointFilter(S);
    const r = f.screen([pt(20), pt(0), pt(10)], NOW);
    expect(r.accepted.map((p) => p.fixTimeMs - NOW)).toEqual([0, 10_000, 20_000]);
  });
});

describe('reorder buffer', () => {
  it('hands points on in fix-time order once the tolerance has passed', () => {
    const b = new ReorderBuffer(30_000);
    expect(b.add([pt(100)], NOW)).toEqual([]);
    expect(b.add([pt(90)], NOW)).toEqual([]);
    // newest is now 140: 90 and 100 are more than 30 s behind it
    expect(b.add([pt(140)], NOW).map((p) => p.fixTimeMs - NOW)).toEqual([90_000, 100_000]);
    // 140 waits for receive time to pass the tolerance
    expect(b.release(NOW + 29_000)).toEqual([]);
    expect(b.release(NOW + 30_000).map((p) => p.fixTimeMs - NOW)).toEqual([140_000]);
    expect(b.size).toBe(0);
    expect(b.late).toBe(0);
  });

  it('passes backlog straight through and counts points that come out late', () => {
    const b = new ReorderBuffer(1_000);
    expect(b.add([pt(-500, 114, 22, { backlog: true })], NOW)).toHaveLength(1);
    b.add([pt(10)], NOW);
    expect(b.release(NOW + 1_000)).toHaveLength(1);
    b.add([pt(5, 114.05, 22.54, { receivedMs: NOW + 2_000 })], NOW + 2_000);
    expect(b.release(NOW + 3_000)).toHaveLength(1);
    expect(b.late).toBe(1);
  });
});

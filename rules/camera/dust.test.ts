import { describe, expect, it } from 'vitest';
import { box, run, square, track } from './test-frames.js';

// 5 fps. The truck is 200 × 100 px moving right at 100 px/s (moving: ≥ max(10, 0.15 × 200) = 30 px/s).
const truckAt = (tMs: number, vx = 100) =>
  track(1, 'truck_covered', box(300 + (vx * tMs) / 1000, 200, 200, 100), { vx });
/** Dust trailing the truck: touching its rear (left) edge. */
const dustBehind = (id: number, tMs: number, vx = 100) =>
  track(id, 'dust', box(200 + (vx * tMs) / 1000, 220, 100, 80), { score: 0.7, vx });

describe('dust', () => {
  it('opens for dust trailing a moving truck for 1 s, with both tracks, and closes once', () => {
    // Frames 0–15 (0–3000 ms); opens at 1000 ms. The truck stays in view, so the event waits 5 s
    // for its dust to rise again: closed on frame 41 (8200 ms > 3000 + 5000).
    const { briefs } = run(50, 200, (i, t) => (i <= 15 ? [truckAt(t), dustBehind(2, t)] : [truckAt(t)]));
    expect(briefs).toEqual([
      { phase: 'opened', type: 'dust', atMs: 1000, startMs: 0, trackIds: [2, 1] },
      { phase: 'closed', type: 'dust', atMs: 8200, startMs: 0, endMs: 3000, trackIds: [2, 1] },
    ]);
    // The truck gone with its dust: closed 1 s after the last sighting (frame 21, 4200 ms).
    const gone = run(25, 200, (i, t) => (i <= 15 ? [truckAt(t), dustBehind(2, t)] : []));
    expect(gone.briefs.map((b) => [b.phase, b.atMs, b.endMs])).toEqual([
      ['opened', 1000, undefined],
      ['closed', 4200, 3000],
    ]);
  });

  it('keeps one event when the truck stops, its dust settles, and it rises again within 5 s', () => {
    // Dust on frames 0–15 and 26–40, the truck in view until frame 40: the 2.2 s without dust is
    // the truck stopping at the gate before it tips. One event, 0–8000 ms, closed 1 s after both left.
    const dusty = (i: number): boolean => i <= 15 || (i >= 26 && i <= 40);
    const { briefs } = run(50, 200, (i, t) =>
      dusty(i) ? [truckAt(t), dustBehind(2, t)] : i <= 40 ? [truckAt(t)] : [],
    );
    expect(briefs.map((b) => [b.phase, b.atMs, b.startMs, b.endMs])).toEqual([
      ['opened', 1000, 0, undefined],
      ['closed', 9200, 0, 8000],
    ]);
  });

  it('raises nothing for dust behind a parked truck (its box only jitters)', () => {
    const { briefs } = run(50, 200, (i) => [
      track(1, 'truck_covered', box(300 + (i % 2), 200, 200, 100), { vx: i % 2 ? 4 : -4 }),
      track(2, 'dust', box(200, 220, 100, 80), { score: 0.9 }),
    ]);
    expect(briefs).toEqual([]);
  });

  it('raises nothing for a dust box ahead of the truck, or far from it', () => {
    const ahead = run(30, 200, (_, t) => [
      truckAt(t),
      track(2, 'dust', box(510 + t / 10, 220, 100, 80), { score: 0.9 }),
    ]);
    expect(ahead.briefs).toEqual([]);
    const far = run(30, 200, (_, t) => [truckAt(t), track(2, 'dust', box(0, 600, 100, 80), { score: 0.9 })]);
    expect(far.briefs).toEqual([]);
  });

  it('opens for dust inside a site-gate zone without any truck, not outside it', () => {
    const zones = [{ id: 'gate-1', kind: 'site_gate' as const, polygon: square(0, 0, 400, 600) }];
    const inside = run(10, 200, () => [track(5, 'dust', box(100, 300, 100, 80))], zones);
    expect(inside.briefs).toEqual([{ phase: 'opened', type: 'dust', atMs: 1000, startMs: 0, trackIds: [5] }]);
    const outside = run(10, 200, () => [track(5, 'dust', box(600, 300, 100, 80))], zones);
    expect(outside.briefs).toEqual([]);
  });

  it('stays one event when the dust cloud gets a new track id; the new id arrives as one update', () => {
    // Dust id 2 on frames 0–7, id 3 on frames 8–15. Opened at 1000 ms; id 3 joins at 1600 ms but
    // updates are at least 2 s apart, so the update goes out at 3000 ms (frame 15).
    const { briefs } = run(25, 200, (i, t) => (i <= 15 ? [truckAt(t), dustBehind(i < 8 ? 2 : 3, t)] : []));
    expect(briefs.map((b) => [b.phase, b.atMs, b.trackIds])).toEqual([
      ['opened', 1000, [2, 1]],
      ['updated', 3000, [2, 1, 3]],
      ['closed', 4200, [2, 1, 3]],
    ]);
  });

  it('raises nothing for faint dust (rain, fog): a median score under the bar', () => {
    const { briefs } = run(30, 200, (_, t) => [truckAt(t), { ...dustBehind(2, t), score: 0.3 }]);
    expect(briefs).toEqual([]);
  });

  it('does not blame a truck passing in the far lane for dust at a parked truck', () => {
    // Dust (bottom edge y = 300) sits at the parked truck 1 (bottom 300). Truck 3 drives past in the far
    // lane (bottom 240): it overlaps the dust in the image as much as truck 1 touches it, but its
    // bottom edge is 60 px off (> 35 % of its 60 px height), so it is not at the dust's depth.
    const { briefs } = run(30, 200, (_, t) => [
      track(3, 'truck_covered', box(180 + t / 10, 180, 150, 60), { vx: 100 }),
      track(1, 'truck_covered', box(300, 200, 200, 100)),
      track(2, 'dust', box(200, 220, 100, 80), { score: 0.9 }),
    ]);
    expect(briefs).toEqual([]);
  });

  it('keeps one event when the truck leaves and its dust lingers in a site-gate zone', () => {
    // Truck on frames 0–10, its dust on 0–20 inside the gate zone: one event, closed after the dust.
    const zones = [{ id: 'gate', kind: 'site_gate' as const, polygon: square(0, 0, 2000, 1000) }];
    const { briefs } = run(
      30,
      200,
      (i, t) => [...(i <= 10 ? [truckAt(t)] : []), dustBehind(2, Math.min(t, 2000))],
      zones,
    );
    expect(briefs.map((b) => [b.phase, b.atMs, b.endMs, b.trackIds])).toEqual([
      ['opened', 1000, undefined, [2, 1]],
    ]);
    const ended = run(
      35,
      200,
      (i, t) => [...(i <= 10 ? [truckAt(t)] : []), ...(i <= 20 ? [dustBehind(2, Math.min(t, 2000))] : [])],
      zones,
    );
    expect(ended.briefs.map((b) => [b.phase, b.atMs, b.endMs])).toEqual([
      ['opened', 1000, undefined],
      ['closed', 5200, 4000],
    ]);
  });
});

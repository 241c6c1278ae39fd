import { describe, expect, it } from 'vitest';
import { box, run, square, track } from './test-frames.js';

// 1 fps; loitering 60 s for the tests (minutes by default); static objects close after 30 s unseen.
const ZONES = [{ id: 'nv-1', kind: 'no_vending' as const, polygon: square(0, 400, 800, 700) }];
const IN = box(100, 450, 120, 100); // bottom centre (160, 550): inside
const OUT = box(100, 100, 120, 100); // bottom centre (160, 200): outside
const CONFIG = { loiteringS: 60 };
const stall = (id: number, b = IN) => track(id, 'vending_stall', b, { score: 0.75 });

describe('street_vending', () => {
  it('opens when a stall has stood in a no-vending zone for the loitering time, and closes after it left', () => {
    // In the zone frames 0–99; opens at 60 s; last seen 99 s; closes at 130 s (> 99 + 30).
    const { briefs } = run(140, 1000, (i) => (i < 100 ? [stall(4)] : []), ZONES, CONFIG);
    expect(briefs).toEqual([
      { phase: 'opened', type: 'street_vending', atMs: 60000, startMs: 0, trackIds: [4] },
      { phase: 'closed', type: 'street_vending', atMs: 130000, startMs: 0, endMs: 99000, trackIds: [4] },
    ]);
  });

  it('raises nothing for a stall in the zone for less than the loitering time', () => {
    expect(run(100, 1000, (i) => (i < 55 ? [stall(4)] : []), ZONES, CONFIG).briefs).toEqual([]);
  });

  it('raises nothing for a stall outside the zone, however long', () => {
    expect(run(200, 1000, () => [stall(4, OUT)], ZONES, CONFIG).briefs).toEqual([]);
  });

  it('keeps counting through a 10 s occlusion that gives the stall a new track id', () => {
    // id 4 frames 0–29, hidden 30–39, id 8 from 40 on the same spot: still opens at 60 s from 0.
    const { briefs } = run(70, 1000, (i) => (i < 30 ? [stall(4)] : i < 40 ? [] : [stall(8)]), ZONES, CONFIG);
    expect(briefs).toEqual([
      { phase: 'opened', type: 'street_vending', atMs: 60000, startMs: 0, trackIds: [4, 8] },
    ]);
  });

  it('raises nothing for a stall seen only on a frame now and then (a flickering false detection)', () => {
    // Seen 1 frame in 5 (new track id each time): the 30 s gap tolerance bridges the blips, but the
    // stall is seen for none of the time (blips 5 s apart are more than the 1 s close gap).
    expect(run(200, 1000, (i) => (i % 5 === 0 ? [stall(100 + i)] : []), ZONES, CONFIG).briefs).toEqual([]);
  });

  it('starts counting afresh when a stall seen briefly comes back after a long gap', () => {
    // Seen 0–2 s, hidden 3–22 s (within the 30 s gap tolerance, but seen for 2 s of 23), then from 23 s
    // on: the loitering time counts from 23 s, so it opens at 83 s, not at 60 s.
    const { briefs } = run(90, 1000, (i) => (i <= 2 || i >= 23 ? [stall(4)] : []), ZONES, CONFIG);
    expect(briefs.map((b) => [b.phase, b.atMs, b.startMs])).toEqual([['opened', 83000, 23000]]);
  });

  it('uses minutes by default', () => {
    // Default loitering 300 s: nothing at 299 s, opened at 300 s.
    const { briefs } = run(301, 1000, () => [stall(4)], ZONES);
    expect(briefs.map((b) => [b.phase, b.atMs])).toEqual([['opened', 300000]]);
  });

  it('keeps a long event bounded: at most maxBoxes samples', () => {
    const { events } = run(700, 1000, (i) => (i < 650 ? [stall(4)] : []), ZONES, CONFIG);
    const closed = events.find((e) => e.phase === 'closed');
    expect(closed?.boxes.length).toBeGreaterThan(16);
    expect(closed?.boxes.length).toBeLessThanOrEqual(64);
  });
});

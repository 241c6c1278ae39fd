import { describe, expect, it } from 'vitest';
import { box, run, track } from './test-frames.js';
import type { CameraTrack } from './types.js';

// 1 fps (frame i at i s). Background learnt over the first 5 s; a new pile must stay 10 s; an
// event of a static object closes after 5 s unseen (shortened from the default for the tests).
const CONFIG = { staticGapS: 5 };
const PILE = box(420, 410, 150, 60); // just under the truck's stopping place (10 px gap)

/** Truck 1 drives in (frames 0–9), stands at x = 400 (10–24), drives off (25–29), then is gone. */
function truck(i: number): CameraTrack[] {
  if (i < 10) return [track(1, 'truck_covered', box(-100 + 50 * i, 300, 200, 100), { vx: 50 })];
  if (i < 25) return [track(1, 'truck_covered', box(400, 300, 200, 100))];
  if (i < 30) return [track(1, 'truck_covered', box(400 + 80 * (i - 24), 300, 200, 100), { vx: 80 })];
  return [];
}
const pile = (id: number) => track(id, 'debris_pile', PILE);

describe('dumping', () => {
  it('opens for a new pile that stays 10 s, with the truck that stood next to it, and closes when it is gone', () => {
    // Pile seen frames 22–50. Opens at 32 s (22 + 10); last seen 50 s; closes at 56 s (> 50 + 5).
    const { briefs, events } = run(
      60,
      1000,
      (i) => [...truck(i), ...(i >= 22 && i <= 50 ? [pile(2)] : [])],
      [],
      CONFIG,
    );
    expect(briefs).toEqual([
      { phase: 'opened', type: 'dumping', atMs: 32000, startMs: 22000, trackIds: [2, 1] },
      { phase: 'closed', type: 'dumping', atMs: 56000, startMs: 22000, endMs: 50000, trackIds: [2, 1] },
    ]);
    expect(events[0]?.confidence).toBe(0.8);
  });

  it('raises nothing for a pile there since the camera started, even with a truck parked next to it', () => {
    const { briefs } = run(60, 1000, (i) => [...truck(i), pile(2)], [], CONFIG);
    expect(briefs).toEqual([]);
  });

  it('raises nothing when a background pile comes back under a new track id after being hidden', () => {
    const { briefs } = run(60, 1000, (i) => (i <= 10 ? [pile(2)] : i <= 20 ? [] : [pile(9)]), [], CONFIG);
    expect(briefs).toEqual([]);
  });

  it('raises nothing for a pile that stays less than 10 s', () => {
    const { briefs } = run(
      60,
      1000,
      (i) => [...truck(i), ...(i >= 22 && i < 31 ? [pile(2)] : [])],
      [],
      CONFIG,
    );
    expect(briefs).toEqual([]);
  });

  it('keeps one event when the pile is re-identified; the new id joins as an update', () => {
    // id 2 on frames 22–35, id 3 on 36–50 at the same place.
    const { briefs } = run(
      60,
      1000,
      (i) => [...truck(i), ...(i >= 22 && i <= 35 ? [pile(2)] : i > 35 && i <= 50 ? [pile(3)] : [])],
      [],
      CONFIG,
    );
    expect(briefs.map((b) => [b.phase, b.atMs, b.trackIds])).toEqual([
      ['opened', 32000, [2, 1]],
      ['updated', 36000, [2, 1, 3]],
      ['closed', 56000, [2, 1, 3]],
    ]);
  });

  it('reports a pile no truck was seen leaving, with a lower confidence', () => {
    const { events } = run(40, 1000, (i) => (i >= 10 ? [pile(2)] : []), [], CONFIG);
    expect(events.map((e) => [e.phase, e.trackIds, e.confidence])).toEqual([['opened', [2], 0.68]]);
  });

  it('does not link a truck that only drove past the pile', () => {
    // Trucks passing at 50 px/s are moving; none stops, so the pile is reported alone.
    const { events } = run(
      40,
      1000,
      (i) => [
        track(1, 'truck_covered', box(-200 + 50 * i, 300, 200, 100), { vx: 50 }),
        ...(i >= 10 ? [pile(2)] : []),
      ],
      [],
      CONFIG,
    );
    expect(events.map((e) => [e.phase, e.trackIds])).toEqual([['opened', [2]]]);
  });
});

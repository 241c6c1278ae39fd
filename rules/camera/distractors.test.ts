import { describe, expect, it } from 'vitest';
import { box, run, square, track } from './test-frames.js';
import type { CameraTrack } from './types.js';

const ZONES = [
  { id: 'nv-1', kind: 'no_vending' as const, polygon: square(0, 500, 1920, 1080) },
  { id: 'gate', kind: 'site_gate' as const, polygon: square(1400, 0, 1920, 500) },
  { id: 'screen', kind: 'ignore' as const, polygon: square(0, 0, 300, 200) },
];

/**
 * Five minutes at 5 fps of everything that must never raise an event: cars, buses, pedestrians
 * and cyclists (in the no-vending zone too), covered trucks driving, a covered truck parked,
 * an uncovered truck on a billboard in an ignore zone, and the detector's mistakes under shadow,
 * rain and night — faint or one-frame readings of the event classes.
 */
function distractors(i: number, t: number): CameraTrack[] {
  const s = t / 1000;
  const out: CameraTrack[] = [
    track(1, 'car', box((100 * s) % 1900, 600, 120, 60), { vx: 100 }),
    track(2, 'bus', box(1800 - ((60 * s) % 1800), 650, 300, 120), { vx: -60 }),
    track(3, 'person', box(500, 700, 40, 100), { score: 0.9 }),
    track(4, 'cyclist', box((30 * s) % 1900, 800, 60, 90), { vx: 30 }),
    // Covered trucks: one driving through, one parked in the no-vending zone for the whole time.
    track(5, 'truck_covered', box((120 * s) % 1900, 300, 260, 130), { vx: 120 }),
    track(6, 'truck_covered', box(900, 560, 260, 130), { vx: i % 2 ? 3 : -3 }),
    // An uncovered truck on a screen inside an ignore zone.
    track(7, 'truck_uncovered', box(50, 50, 150, 80), { score: 0.95 }),
  ];
  // Shadow under the parked truck read as a pile, faintly; rain read as dust behind the moving truck, faintly.
  out.push(track(8, 'debris_pile', box(920, 700, 200, 50), { score: 0.3 }));
  out.push(track(9, 'dust', box(((120 * s) % 1900) - 100, 320, 100, 90), { score: 0.35, vx: 120 }));
  // Night: the moving covered truck read as uncovered on single frames now and then.
  if (i % 9 === 0)
    out.push(track(10 + i, 'truck_uncovered', box((120 * s) % 1900, 300, 260, 130), { score: 0.7, vx: 120 }));
  // A stall-like umbrella flickering in the zone for a frame at a time, and a person lingering by it.
  if (i % 13 === 0) out.push(track(5000 + i, 'vending_stall', box(300, 600, 100, 100), { score: 0.9 }));
  // A one-frame pile reading (puddle glare) after the background was learnt.
  if (i === 400) out.push(track(9000, 'debris_pile', box(1200, 800, 120, 40), { score: 0.9 }));
  return out;
}

describe('distractors never raise events', () => {
  it('five minutes of cars, buses, pedestrians, covered and parked trucks, shadow, rain and night', () => {
    expect(run(1500, 200, distractors, ZONES, { loiteringS: 60 }).briefs).toEqual([]);
  });

  it('the same stream with a real uncovered truck raises exactly that one event', () => {
    // Guard against a rule that is simply switched off: one uncovered truck for 3 s at 100–103 s.
    const { briefs } = run(
      1500,
      200,
      (i, t) => [
        ...distractors(i, t),
        ...(i >= 500 && i < 515 ? [track(7777, 'truck_uncovered', box(800, 250, 260, 130), { vx: 80 })] : []),
      ],
      ZONES,
      { loiteringS: 60 },
    );
    expect(briefs.map((b) => [b.phase, b.type, b.trackIds])).toEqual([
      ['opened', 'uncovered_load', [7777]],
      ['closed', 'uncovered_load', [7777]],
    ]);
  });
});

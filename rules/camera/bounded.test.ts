import { describe, expect, it } from 'vitest';
import { newCameraRulesState, stepCameraRules } from './step.js';
import { T0, box, square, track } from './test-frames.js';

describe('camera rules state stays bounded', () => {
  it('over 10 minutes of busy traffic at 5 fps', () => {
    // Every 4 s a new truck (uncovered every third one, dusty every other) drives through in 8 s;
    // a parked truck and a stall stand all the time; a pile appears at minute 2 and stays.
    const zones = [{ id: 'nv', kind: 'no_vending' as const, polygon: square(0, 600, 1920, 1080) }];
    const s = newCameraRulesState(1, { loiteringS: 60 });
    let events = 0;
    for (let i = 0; i < 3000; i++) {
      const t = i * 200;
      const tracks = [
        track(1, 'truck_covered', box(1500, 300, 200, 100)),
        track(2, 'vending_stall', box(100, 700, 100, 100)),
      ];
      for (let k = Math.max(0, Math.floor(t / 4000) - 1); k <= Math.floor(t / 4000); k++) {
        const age = t - k * 4000;
        if (age >= 8000) continue;
        const x = -200 + (age / 1000) * 250;
        tracks.push(
          track(100 + 2 * k, k % 3 === 0 ? 'truck_uncovered' : 'truck_covered', box(x, 400, 200, 100), {
            vx: 250,
          }),
        );
        if (k % 2 === 0) tracks.push(track(101 + 2 * k, 'dust', box(x - 100, 420, 100, 80), { vx: 250 }));
      }
      if (t >= 120_000) tracks.push(track(3, 'debris_pile', box(800, 800, 150, 60)));
      events += stepCameraRules(s, { timeMs: T0 + t, frameSeq: i, tracks, zones }).events.length;
    }
    expect(events).toBeGreaterThan(150);
    expect(s.memory.size).toBeLessThan(10);
    expect(s.episodes.length).toBeLessThan(10);
    // The parked truck, logged once a second over the 120 s look-back.
    expect(s.dumping.stopped.length).toBeLessThanOrEqual(121);
    expect(s.dumping.lastLogged.size).toBeLessThan(5);
    expect(s.dumping.backgroundTracks.size + s.dumping.newPiles.size).toBeLessThan(5);
    for (const e of s.episodes) expect(e.boxes.length).toBeLessThanOrEqual(64);
  });
});

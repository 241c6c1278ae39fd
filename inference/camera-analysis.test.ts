import { describe, expect, it } from 'vitest';
import { CameraAnalysis } from './camera-analysis.js';
import type { Detection } from './detect.js';

const frame = (cameraId: number, i: number, detections: Detection[]) => ({
  cameraId,
  seq: i,
  time: 1_000_000 + i * 200,
  detections,
  sourceWidth: 1280,
  sourceHeight: 720,
  latencyMs: 0,
  runMs: 0,
  batch: 1,
});

describe('camera analysis: detections → tracks → camera events', () => {
  it('a moving uncovered truck opens one uncovered_load event, closed when the camera leaves', () => {
    const a = new CameraAnalysis({ rulesFor: () => ({}), zonesFor: () => [] });
    const events = [];
    const trackIds = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const truck = { cls: 'truck_uncovered', score: 0.9, box: { x: 100 + i * 12, y: 200, w: 160, h: 90 } };
      const r = a.onDetections(frame(3, i, [truck]));
      for (const t of r.tracks) trackIds.add(t.id);
      events.push(...r.events);
    }
    expect(trackIds.size).toBe(1);
    expect(events.map((e) => [e.type, e.phase])).toEqual([['uncovered_load', 'opened']]);
    expect(events[0]?.cameraId).toBe(3);
    // The best frame names the picture its box is in: where in the view the truck was.
    expect(events[0]?.bestFrame.frameSize).toEqual({ width: 1280, height: 720 });
    const closed = a.closeCamera(3);
    expect(closed.map((e) => [e.type, e.phase])).toEqual([['uncovered_load', 'closed']]);
    expect(a.cameraIds()).toEqual([]);
  });

  it('cameras are tracked apart, and distractors alone raise nothing', () => {
    const a = new CameraAnalysis({ rulesFor: () => ({}), zonesFor: () => [] });
    const out = [];
    for (let i = 0; i < 30; i++) {
      out.push(
        ...a.onDetections(
          frame(1, i, [{ cls: 'car', score: 0.95, box: { x: 10 + i * 20, y: 50, w: 80, h: 40 } }]),
        ).events,
        ...a.onDetections(
          frame(2, i, [{ cls: 'truck_covered', score: 0.9, box: { x: 400 - i * 10, y: 80, w: 150, h: 80 } }]),
        ).events,
        ...a.onDetections(frame(4, i, [{ cls: 'person', score: 0.8, box: { x: 300, y: 300, w: 20, h: 60 } }]))
          .events,
      );
    }
    expect(out).toEqual([]);
    expect(a.cameraIds().sort()).toEqual([1, 2, 4]);
  });

  it('a camera whose loitering time is edited takes it at once, without losing what it saw', () => {
    let loiteringS = 60;
    const zone = {
      id: 'nv',
      kind: 'no_vending' as const,
      polygon: [
        [0, 0],
        [500, 0],
        [500, 500],
        [0, 500],
      ] as [number, number][],
    };
    const a = new CameraAnalysis({ rulesFor: () => ({ loiteringS }), zonesFor: () => [zone] });
    const stall = { cls: 'vending_stall', score: 0.9, box: { x: 100, y: 100, w: 80, h: 60 } };
    const events = [];
    for (let i = 0; i < 50; i++) events.push(...a.onDetections(frame(9, i, [stall])).events); // 10 s
    expect(events).toEqual([]);
    loiteringS = 5;
    a.reconfigure(9);
    events.push(...a.onDetections(frame(9, 50, [stall])).events);
    expect(events.map((e) => [e.type, e.phase])).toEqual([['street_vending', 'opened']]);
  });
});

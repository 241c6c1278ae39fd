import { describe, expect, it } from 'vitest';
import { parsePayload } from '../../core/index.js';
import { observationFromEvent } from '../inputs.js';
import { toCameraEventPayload } from './payload.js';
import { closeCameraRules, newCameraRulesState, reconfigureCameraRules, stepCameraRules } from './step.js';
import { T0, box, run, track } from './test-frames.js';

const truck = track(1, 'truck_uncovered', box(100, 200, 300, 150));

describe('camera rules step', () => {
  it('ignores a frame older than the last one', () => {
    const s = newCameraRulesState(3);
    for (let i = 0; i <= 5; i++)
      stepCameraRules(s, { timeMs: T0 + i * 200, frameSeq: i, tracks: [truck], zones: [] });
    // A late frame from 10 s earlier must not count as "not seen for 10 s".
    const late = stepCameraRules(s, { timeMs: T0 - 10_000, frameSeq: 99, tracks: [], zones: [] });
    expect(late.events).toEqual([]);
    expect(s.episodes.map((e) => e.open)).toEqual([true]);
  });

  it('closes open events when the camera stops', () => {
    const s = newCameraRulesState(3);
    for (let i = 0; i <= 6; i++)
      stepCameraRules(s, { timeMs: T0 + i * 200, frameSeq: i, tracks: [truck], zones: [] });
    const r = closeCameraRules(s);
    expect(r.events.map((e) => [e.phase, e.cameraId, (e.endMs ?? 0) - T0])).toEqual([['closed', 3, 1200]]);
    expect(closeCameraRules(s).events).toEqual([]);
  });

  it('takes new settings without losing what it remembers', () => {
    const s = newCameraRulesState(3, { uncoveredMinS: 5 });
    const at = (i: number) =>
      stepCameraRules(s, { timeMs: T0 + i * 200, frameSeq: i, tracks: [truck], zones: [] });
    for (let i = 0; i <= 6; i++) expect(at(i).events).toEqual([]);
    // Seen since 0 ms; with a 1 s minimum the next frame (1400 ms) opens it, started at 0.
    reconfigureCameraRules(s, { uncoveredMinS: 1 });
    expect(at(7).events.map((e) => [e.phase, e.startMs - T0])).toEqual([['opened', 0]]);
  });

  it('gives the same events for the same frames', () => {
    const frames = (i: number) => (i < 20 ? [track(1, 'truck_uncovered', box(10 * i, 200, 300, 150))] : []);
    expect(run(30, 200, frames).events).toEqual(run(30, 200, frames).events);
  });

  it('turns each phase into a valid camera-events payload with one key and start time', () => {
    const { events } = run(22, 200, (i) => (i <= 15 ? [truck] : []));
    const payloads = events.map(toCameraEventPayload);
    for (const p of payloads) {
      const r = parsePayload('camera-events', p);
      expect(r.ok ? r.value : r.reason).toEqual(p);
    }
    expect(payloads.map((p) => [p.phase, p.startedAt, p.endedAt])).toEqual([
      ['opened', '2026-11-27T08:00:00.000Z', undefined],
      ['closed', '2026-11-27T08:00:00.000Z', '2026-11-27T08:00:03.000Z'],
    ]);
    expect(new Set(payloads.map((p) => p.key)).size).toBe(1);
    expect(payloads[0]?.bestFrame?.frameSeq).toBe(0);
    expect(payloads[0]?.bestFrame?.frame).toBeUndefined(); // no picture size given: none claimed
  });

  it('names the picture the best box is in, and the GPS rules read where in the view it sits', () => {
    const s = newCameraRulesState(3);
    const frameSize = { width: 1000, height: 500 };
    const events = [];
    for (let i = 0; i <= 6; i++)
      events.push(
        ...stepCameraRules(s, { timeMs: T0 + i * 200, frameSeq: i, frameSize, tracks: [truck], zones: [] })
          .events,
      );
    const opened = events[0];
    if (!opened) throw new Error('no event');
    const p = toCameraEventPayload(opened);
    const parsed = parsePayload('camera-events', p);
    expect(parsed.ok ? parsed.value.bestFrame?.frame : parsed.reason).toEqual(frameSize);
    // The truck's box spans x 100–400 of 1000: its centre is a quarter of the way across.
    expect(observationFromEvent(p).imageX).toBe(0.25);
    const { bestFrame } = p;
    if (!bestFrame) throw new Error('no best frame');
    expect(observationFromEvent({ ...p, bestFrame: { ...bestFrame, frame: undefined } }).imageX).toBeNull();
  });
});

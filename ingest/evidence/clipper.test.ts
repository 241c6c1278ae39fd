import { describe, expect, it } from 'vitest';
import { clipPlan, ffprobeFor } from './clipper.js';

const segs = [
  { path: '/r/a.ts', startMs: 2000, endMs: 4000 },
  { path: "/r/it's.ts", startMs: 4000, endMs: 6000 },
];

describe('clip plan', () => {
  it('starts on the last keyframe at or before the request and ends at the request', () => {
    const p = clipPlan(segs, 3300, 5500, [0, 1, 2]);
    expect(p.startS).toBe(1);
    expect(p.durationS).toBeCloseTo(2.5);
    expect(p.list).toBe("ffconcat version 1.0\nfile '/r/a.ts'\nfile '/r/it'\\''s.ts'\n");
  });

  it('clamps to what was recorded', () => {
    const p = clipPlan(segs, 0, 99_000, [0, 1]);
    expect(p.startS).toBe(0);
    expect(p.durationS).toBe(4);
  });

  it('finds ffprobe beside ffmpeg', () => {
    expect(ffprobeFor('/opt/ff/bin/ffmpeg')).toBe('/opt/ff/bin/ffprobe');
    expect(ffprobeFor('ffmpeg')).toBe('ffprobe');
  });
});

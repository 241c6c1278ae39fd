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

describe('MPEG-TS keyframe scan', () => {
  it('reads the PTS of a random-access video PES, relative to the first', async () => {
    const { tsKeyframeTimes } = await import('./ts-keyframes.js');
    const packet = (pts: number, rai: boolean): Uint8Array => {
      const p = new Uint8Array(188).fill(0xff);
      p.set([0x47, 0x41, 0x00, 0x30, 7, rai ? 0x40 : 0x00]); // PUSI, PID 0x100, adaptation + payload
      const at = 4 + 1 + 7;
      const b = [
        0x21 | (((pts / 2 ** 30) & 0x07) << 1),
        (pts >> 22) & 0xff,
        (((pts >> 15) & 0x7f) << 1) | 1,
        (pts >> 7) & 0xff,
        ((pts & 0x7f) << 1) | 1,
      ];
      p.set([0, 0, 1, 0xe0, 0, 0, 0x80, 0x80, 5, ...b], at);
      return p;
    };
    const data = new Uint8Array([
      ...packet(126_000, true),
      ...packet(129_600, false),
      ...packet(216_000, true),
    ]);
    expect(tsKeyframeTimes(data)).toEqual([0, 1]);
    expect(tsKeyframeTimes(new Uint8Array(500))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { selectForDeletion } from './retention.js';

const seg = (id: number, startS: number, bytes = 100) => ({
  id,
  startMs: startS * 1000,
  endMs: (startS + 4) * 1000,
  bytes,
});
const segments = [seg(1, 0), seg(2, 4), seg(3, 8), seg(4, 12), seg(5, 16)];

describe('retention', () => {
  it('deletes everything past the age limit, oldest first', () => {
    const r = selectForDeletion(segments, [], 20_000, { maxAgeMs: 13_000, maxBytes: 1e9 });
    expect(r.map((s) => s.id)).toEqual([1]);
  });

  it('deletes oldest until the disk budget fits', () => {
    const r = selectForDeletion(segments, [], 20_000, { maxAgeMs: 1e9, maxBytes: 250 });
    expect(r.map((s) => s.id)).toEqual([1, 2, 3]);
  });

  it('never deletes a held segment, even over budget', () => {
    const hold = { fromMs: 3_000, toMs: 9_000 }; // overlaps segments 1, 2, 3
    const r = selectForDeletion(segments, [hold], 20_000, { maxAgeMs: 0, maxBytes: 0 });
    expect(r.map((s) => s.id)).toEqual([4, 5]);
  });

  it('a hold touching a segment only at its edge does not keep it', () => {
    const r = selectForDeletion(segments, [{ fromMs: 4_000, toMs: 4_000 }], 20_000, {
      maxAgeMs: 1e9,
      maxBytes: 0,
    });
    expect(r.map((s) => s.id)).toContain(1);
  });
});

import { describe, expect, it } from 'vitest';
import { FairFrameQueue } from './fair-queue.js';

const f = (cameraId: number, seq: number) => ({ cameraId, seq });

describe('fair frame queue', () => {
  it('drops the oldest frame of a camera that is over its share, and counts it per camera', () => {
    const q = new FairFrameQueue<{ cameraId: number; seq: number }>(2);
    for (let s = 0; s < 5; s++) q.push(f(1, s));
    q.push(f(2, 0));
    expect(q.dropped(1)).toBe(3);
    expect(q.dropped(2)).toBe(0);
    expect(q.size).toBe(3);
  });

  it('tells of every frame dropped unserved: over the share, and when a camera is forgotten', () => {
    const dropped: string[] = [];
    const q = new FairFrameQueue<{ cameraId: number; seq: number }>(2, (x) =>
      dropped.push(`${String(x.cameraId)}/${String(x.seq)}`),
    );
    for (let s = 0; s < 4; s++) q.push(f(1, s));
    q.push(f(2, 0));
    q.takeBatch(1);
    q.forget(1);
    expect(dropped).toEqual(['1/0', '1/1', '1/3']);
    expect(q.size).toBe(1);
  });

  it('never starves a quiet camera: batches take one frame per camera in turn, oldest first', () => {
    const q = new FairFrameQueue<{ cameraId: number; seq: number }>(10);
    for (let s = 0; s < 6; s++) q.push(f(1, s));
    q.push(f(2, 0));
    q.push(f(3, 0));
    expect(q.takeBatch(2)).toEqual([f(1, 0), f(2, 0)]);
    expect(q.takeBatch(2)).toEqual([f(3, 0), f(1, 1)]);
    expect(q.takeBatch(4)).toEqual([f(1, 2), f(1, 3), f(1, 4), f(1, 5)]);
    expect(q.takeBatch(4)).toEqual([]);
  });
});

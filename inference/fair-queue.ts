/**
 * Pure: per-camera frame queues with fair batching. Each camera keeps at most `perCamera` frames
 * (the oldest is dropped and counted when a new one arrives); a batch takes one frame per camera
 * in round-robin order, oldest first, so a busy camera never starves a quiet one.
 */
export class FairFrameQueue<T extends { readonly cameraId: number }> {
  private readonly queues = new Map<number, T[]>();
  private readonly drops = new Map<number, number>();
  private cursor = 0;

  constructor(
    readonly perCamera: number,
    /** Told of every frame dropped unserved: when behind, and when a camera is forgotten. */
    private readonly onDrop: (frame: T) => void = () => undefined,
  ) {}

  push(frame: T): void {
    let q = this.queues.get(frame.cameraId);
    if (!q) {
      q = [];
      this.queues.set(frame.cameraId, q);
    }
    q.push(frame);
    if (q.length > this.perCamera) {
      const old = q.shift();
      if (old) this.onDrop(old);
      this.drops.set(frame.cameraId, (this.drops.get(frame.cameraId) ?? 0) + 1);
    }
  }

  /** Up to `max` frames, at most one per camera per round, starting after the last camera served. */
  takeBatch(max: number): T[] {
    const cams = [...this.queues.keys()].sort((a, b) => a - b);
    const out: T[] = [];
    if (cams.length === 0) return out;
    let pos = this.cursor % cams.length;
    let idle = 0;
    while (out.length < max && idle < cams.length) {
      const f = this.queues.get(cams[pos] as number)?.shift();
      pos = (pos + 1) % cams.length;
      if (f) {
        out.push(f);
        idle = 0;
        this.cursor = pos;
      } else idle++;
    }
    return out;
  }

  get size(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  dropped(cameraId?: number): number {
    if (cameraId !== undefined) return this.drops.get(cameraId) ?? 0;
    let n = 0;
    for (const d of this.drops.values()) n += d;
    return n;
  }

  forget(cameraId: number): void {
    for (const f of this.queues.get(cameraId) ?? []) this.onDrop(f);
    this.queues.delete(cameraId);
  }
}

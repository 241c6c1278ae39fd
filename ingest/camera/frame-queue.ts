/**
 * Bounded frame queue: the reader never blocks. When full, the oldest frame is dropped and
 * counted (a fresher frame is worth more to detection than a stale one).
 */
export class DropOldestQueue<T> {
  private readonly items: T[] = [];
  private droppedCount = 0;
  private waiter: ((item: T) => void) | null = null;

  constructor(
    readonly capacity: number,
    private readonly onDrop: (item: T) => void = () => undefined,
  ) {
    if (capacity < 1) throw new Error('queue capacity must be ≥ 1');
  }

  push(item: T): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w(item);
      return;
    }
    if (this.items.length >= this.capacity) {
      const old = this.items.shift();
      if (old !== undefined) this.onDrop(old);
      this.droppedCount++;
    }
    this.items.push(item);
  }

  /** Take the next item, or undefined when empty. */
  poll(): T | undefined {
    return this.items.shift();
  }

  /** Wait for the next item (one waiter at a time: the consumer). */
  take(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  get size(): number {
    return this.items.length;
  }

  get dropped(): number {
    return this.droppedCount;
  }
}

/** Cuts a raw byte stream into fixed-size frames without copying more than once per frame. */
export class FrameSplitter {
  private buf: Buffer;
  private filled = 0;

  constructor(
    readonly frameSize: number,
    private readonly onFrame: (frame: Buffer) => void,
  ) {
    this.buf = Buffer.allocUnsafe(frameSize);
  }

  write(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(this.frameSize - this.filled, chunk.length - off);
      chunk.copy(this.buf, this.filled, off, off + n);
      this.filled += n;
      off += n;
      if (this.filled === this.frameSize) {
        const frame = this.buf;
        this.buf = Buffer.allocUnsafe(this.frameSize);
        this.filled = 0;
        this.onFrame(frame);
      }
    }
  }

  /** Bytes of an incomplete frame (dropped when the stream restarts). */
  get pending(): number {
    return this.filled;
  }

  reset(): void {
    this.filled = 0;
  }
}

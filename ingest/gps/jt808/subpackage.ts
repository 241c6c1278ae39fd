import type { Frame, Header } from './frame.js';

/**
 * Reassembles subpackaged messages (attribute bit 13). Packets of one message carry
 * consecutive serials, so the first packet's serial (serial − index + 1) names the message.
 * Incomplete messages are dropped after `timeoutMs` (the terminal re-sends or is re-asked),
 * and at most `maxOpen` messages are held per session so a broken terminal cannot hoard memory.
 */
export class Reassembler {
  private readonly open = new Map<
    string,
    { parts: (Buffer | undefined)[]; have: number; firstAt: number; header: Header }
  >();
  expired = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly maxOpen = 16,
  ) {}

  /** Returns the whole message when this packet completes it, else null. */
  add(frame: Frame, nowMs: number): Frame | null {
    const p = frame.header.packet;
    if (!p) return frame;
    this.expire(nowMs);
    if (p.total < 1 || p.index < 1 || p.index > p.total) return null;
    if (p.total === 1) return { header: withoutPacket(frame.header), body: frame.body };
    const key = `${String(frame.header.msgId)}:${String((frame.header.serial - p.index + 1) & 0xffff)}:${String(p.total)}`;
    let entry = this.open.get(key);
    if (!entry) {
      if (this.open.size >= this.maxOpen) {
        const oldest = this.open.keys().next().value;
        if (oldest !== undefined) this.open.delete(oldest);
        this.expired++;
      }
      entry = {
        parts: new Array<Buffer | undefined>(p.total),
        have: 0,
        firstAt: nowMs,
        header: frame.header,
      };
      this.open.set(key, entry);
    }
    if (entry.parts[p.index - 1] === undefined) {
      entry.parts[p.index - 1] = Buffer.from(frame.body);
      entry.have++;
      if (p.index === 1) entry.header = frame.header;
    }
    if (entry.have < p.total) return null;
    this.open.delete(key);
    const body = Buffer.concat(entry.parts as Buffer[]);
    return { header: { ...withoutPacket(entry.header), bodyLength: body.length }, body };
  }

  expire(nowMs: number): void {
    for (const [key, e] of this.open) {
      if (nowMs - e.firstAt > this.timeoutMs) {
        this.open.delete(key);
        this.expired++;
      }
    }
  }

  get size(): number {
    return this.open.size;
  }
}

function withoutPacket(h: Header): Header {
  const rest = { ...h };
  delete rest.packet;
  return rest;
}

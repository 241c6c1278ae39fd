import type { Frame, Header } from './frame.js';

/** A message still missing packets, to be asked for again with 0x8003. */
export interface MissingPackets {
  /** Header of a packet received (version and terminal phone, to address the request). */
  readonly header: Header;
  readonly firstSerial: number;
  /** Packet numbers (1-based) not received, ascending. */
  readonly packetIds: number[];
}

interface Open {
  parts: (Buffer | undefined)[];
  have: number;
  firstAt: number;
  lastAt: number;
  header: Header;
  firstSerial: number;
  asked: number;
  askedAt: number;
}

/** Times one message's missing packets are asked for before it is left to expire. */
const MAX_ASKS = 3;

/**
 * Reassembles subpackaged messages (attribute bit 13). Packets of one message carry
 * consecutive serials, so the first packet's serial (serial − index + 1) names the message.
 * Missing packets are asked for again (`missing`, answered by 0x8003) once the last packet has
 * come or the message has been quiet for a while; incomplete messages are dropped after
 * `timeoutMs`, and at most `maxOpen` messages are held per session so a broken terminal cannot
 * hoard memory.
 */
export class Reassembler {
  private readonly open = new Map<string, Open>();
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
        lastAt: nowMs,
        header: frame.header,
        firstSerial: (frame.header.serial - p.index + 1) & 0xffff,
        asked: 0,
        askedAt: -Infinity,
      };
      this.open.set(key, entry);
    }
    entry.lastAt = nowMs;
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

  /**
   * Messages whose missing packets should be asked for now: the last packet has come (anything
   * before it that is missing was lost) or no packet came for `quietMs`; each message at most
   * MAX_ASKS times, `quietMs` apart.
   */
  missing(nowMs: number, quietMs: number): MissingPackets[] {
    this.expire(nowMs);
    const out: MissingPackets[] = [];
    for (const e of this.open.values()) {
      if (e.asked >= MAX_ASKS || nowMs - e.askedAt < quietMs) continue;
      const lastCame = e.parts[e.parts.length - 1] !== undefined;
      if (!lastCame && nowMs - e.lastAt < quietMs) continue;
      const packetIds: number[] = [];
      for (let i = 0; i < e.parts.length; i++) if (e.parts[i] === undefined) packetIds.push(i + 1);
      e.asked++;
      e.askedAt = nowMs;
      out.push({ header: e.header, firstSerial: e.firstSerial, packetIds });
    }
    return out;
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

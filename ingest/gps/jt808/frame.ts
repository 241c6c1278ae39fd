import { FLAG, bcdToDigits, digitsToBcd, escapeAndWrap, unescapeFrame, xorChecksum } from './bytes.js';

/**
 * Frames: header + body + check code between 0x7e flags. The header comes in two layouts:
 * 2013 (BCD[6] terminal phone number) and 2019 (attribute bit 14 set, a protocol-version byte,
 * BCD[10] terminal phone number); both may carry a subpackage item (attribute bit 13).
 */
export type ProtocolVersion = '2013' | '2019';

export interface Header {
  readonly msgId: number;
  readonly version: ProtocolVersion;
  /** The 2019 header's protocol-version byte (1 for the first 2019 edition); 0 for 2013. */
  readonly protocolVersion: number;
  /** BCD digits exactly as sent (12 in 2013, 20 in 2019, leading zeros kept). */
  readonly terminalPhone: string;
  readonly serial: number;
  readonly bodyLength: number;
  /** Attribute bits 10–12: 0 = plain, bit 10 = RSA. */
  readonly encryption: number;
  readonly packet?: { readonly total: number; readonly index: number };
}

export interface Frame {
  readonly header: Header;
  readonly body: Buffer;
}

export type FrameResult =
  | { readonly ok: true; readonly frame: Frame }
  /** `header` is present when the header could be read, so the platform can answer result 2. */
  | { readonly ok: false; readonly reason: FrameError; readonly header?: Header };

export type FrameError = 'escape' | 'short' | 'header' | 'length' | 'checksum';

const ATTR_LENGTH = 0x03ff;
const ATTR_SUBPACKAGE = 1 << 13;
const ATTR_2019 = 1 << 14;

/** Read the header of an unescaped frame (flags stripped, check code still at the end). */
export function readHeader(buf: Buffer): { header: Header; size: number } | null {
  if (buf.length < 4) return null;
  const msgId = buf.readUInt16BE(0);
  const attrs = buf.readUInt16BE(2);
  const is2019 = (attrs & ATTR_2019) !== 0;
  const sub = (attrs & ATTR_SUBPACKAGE) !== 0;
  const phoneLen = is2019 ? 10 : 6;
  let o = 4;
  let protocolVersion = 0;
  if (is2019) {
    if (buf.length < o + 1) return null;
    protocolVersion = buf[o++] as number;
  }
  if (buf.length < o + phoneLen + 2 + (sub ? 4 : 0)) return null;
  const terminalPhone = bcdToDigits(buf, o, phoneLen);
  if (terminalPhone === null) return null;
  o += phoneLen;
  const serial = buf.readUInt16BE(o);
  o += 2;
  let packet: Header['packet'];
  if (sub) {
    packet = { total: buf.readUInt16BE(o), index: buf.readUInt16BE(o + 2) };
    o += 4;
  }
  const header: Header = {
    msgId,
    version: is2019 ? '2019' : '2013',
    protocolVersion,
    terminalPhone,
    serial,
    bodyLength: attrs & ATTR_LENGTH,
    encryption: (attrs >> 10) & 0x07,
    ...(packet ? { packet } : {}),
  };
  return { header, size: o };
}

/** Decode the bytes between two flags: unescape, read the header, verify length and check code. */
export function decodeFrame(escaped: Buffer): FrameResult {
  const buf = unescapeFrame(escaped);
  if (buf === null) return { ok: false, reason: 'escape' };
  if (buf.length < 2) return { ok: false, reason: 'short' };
  const h = readHeader(buf.subarray(0, buf.length - 1));
  if (h === null) return { ok: false, reason: 'header' };
  const { header, size } = h;
  if (xorChecksum(buf, 0, buf.length - 1) !== buf[buf.length - 1]) {
    return { ok: false, reason: 'checksum', header };
  }
  if (size + header.bodyLength !== buf.length - 1) return { ok: false, reason: 'length', header };
  return { ok: true, frame: { header, body: buf.subarray(size, size + header.bodyLength) } };
}

export interface OutHeader {
  readonly msgId: number;
  readonly version: ProtocolVersion;
  readonly protocolVersion?: number;
  readonly terminalPhone: string;
  readonly serial: number;
  readonly packet?: { readonly total: number; readonly index: number };
}

/** Build a complete wire frame: header, body, check code, escapes, flags. */
export function encodeFrame(h: OutHeader, body: Buffer): Buffer {
  if (body.length > ATTR_LENGTH)
    throw new RangeError(`body of ${String(body.length)} bytes needs subpackages`);
  const is2019 = h.version === '2019';
  const phoneLen = is2019 ? 10 : 6;
  const headLen = 4 + (is2019 ? 1 : 0) + phoneLen + 2 + (h.packet ? 4 : 0);
  const buf = Buffer.alloc(headLen + body.length + 1);
  buf.writeUInt16BE(h.msgId, 0);
  buf.writeUInt16BE(body.length | (h.packet ? ATTR_SUBPACKAGE : 0) | (is2019 ? ATTR_2019 : 0), 2);
  let o = 4;
  if (is2019) buf[o++] = h.protocolVersion ?? 1;
  digitsToBcd(h.terminalPhone, phoneLen).copy(buf, o);
  o += phoneLen;
  buf.writeUInt16BE(h.serial & 0xffff, o);
  o += 2;
  if (h.packet) {
    buf.writeUInt16BE(h.packet.total, o);
    buf.writeUInt16BE(h.packet.index, o + 2);
    o += 4;
  }
  body.copy(buf, o);
  buf[buf.length - 1] = xorChecksum(buf, 0, buf.length - 1);
  return escapeAndWrap(buf);
}

/**
 * Split a TCP byte stream into frames (the bytes between two 0x7e flags, escapes intact).
 * Bytes outside flags and frames longer than `maxFrame` are dropped and counted: a terminal
 * that sends garbage costs a counter, never unbounded memory.
 */
export class FrameSplitter {
  private pending: Buffer[] = [];
  private pendingLen = 0;
  private inFrame = false;
  /** Bytes thrown away (noise outside frames, oversize frames). */
  discarded = 0;

  constructor(private readonly maxFrame = 4096) {}

  push(chunk: Buffer, onFrame: (escaped: Buffer) => void): void {
    let start = 0;
    while (start < chunk.length) {
      const flag = chunk.indexOf(FLAG, start);
      if (!this.inFrame) {
        if (flag < 0) {
          this.discarded += chunk.length - start;
          return;
        }
        this.discarded += flag - start;
        this.inFrame = true;
        start = flag + 1;
        continue;
      }
      const end = flag < 0 ? chunk.length : flag;
      if (end > start) {
        this.pending.push(chunk.subarray(start, end));
        this.pendingLen += end - start;
      }
      if (this.pendingLen > this.maxFrame) {
        this.discarded += this.pendingLen;
        this.reset();
        // Resynchronise on the next flag; the flag that ends this run may open the next frame.
        this.inFrame = false;
        start = flag < 0 ? chunk.length : flag;
        continue;
      }
      if (flag < 0) return;
      start = flag + 1;
      // Two adjacent flags: the closing flag of one frame doubles as the opening of the next.
      if (this.pendingLen === 0) continue;
      const frame = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
      this.reset();
      onFrame(frame);
    }
  }

  private reset(): void {
    this.pending = [];
    this.pendingLen = 0;
  }
}

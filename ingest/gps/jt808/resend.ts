import type { ProtocolVersion } from './frame.js';
import type { Decoded } from './location.js';

/**
 * 0x8003, the platform's request that a terminal re-send packets of a subpackaged message
 * (补传分包请求): the serial of the message's first packet (WORD), how many packets are asked
 * for (BYTE in 2013, WORD in 2019), then each packet's number (WORD, counted from 1).
 */
export interface ResendRequest {
  /** Serial of the first packet of the incomplete message. */
  readonly firstSerial: number;
  /** Packet numbers (1-based) to send again, ascending. */
  readonly packetIds: readonly number[];
}

/** Most packet numbers one request can name (the 2013 count is one byte). */
export function maxResendIds(version: ProtocolVersion): number {
  return version === '2013' ? 0xff : 0xffff;
}

export function encodeResendRequest(r: ResendRequest, version: ProtocolVersion): Buffer {
  const ids = r.packetIds.slice(0, maxResendIds(version));
  const countSize = version === '2013' ? 1 : 2;
  const b = Buffer.alloc(2 + countSize + 2 * ids.length);
  b.writeUInt16BE(r.firstSerial & 0xffff, 0);
  if (countSize === 1) b[2] = ids.length;
  else b.writeUInt16BE(ids.length, 2);
  ids.forEach((id, i) => b.writeUInt16BE(id, 2 + countSize + 2 * i));
  return b;
}

export function decodeResendRequest(body: Buffer, version: ProtocolVersion): Decoded<ResendRequest> {
  const countSize = version === '2013' ? 1 : 2;
  if (body.length < 2 + countSize) return { ok: false, reason: 'resend request is too short' };
  const n = countSize === 1 ? (body[2] as number) : body.readUInt16BE(2);
  if (body.length !== 2 + countSize + 2 * n)
    return {
      ok: false,
      reason: `resend request names ${String(n)} packets but has ${String(body.length)} bytes`,
    };
  const packetIds = Array.from({ length: n }, (_, i) => body.readUInt16BE(2 + countSize + 2 * i));
  return { ok: true, value: { firstSerial: body.readUInt16BE(0), packetIds } };
}

import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from './frame.js';
import { MSG } from './messages.js';
import { decodeResendRequest, encodeResendRequest, maxResendIds } from './resend.js';
import { Reassembler } from './subpackage.js';

/**
 * 0x8003 (补传分包请求) worked out by hand from JT/T 808: body = serial of the message's first
 * packet (WORD), packet count (BYTE in 2013, WORD in 2019), packet numbers (WORD each); check
 * code = XOR of header and body, computed apart from this codec. Terminal phone 013912345678.
 */
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const inner = (wire: Buffer): Buffer => wire.subarray(1, wire.length - 1);

// 2013, platform serial 0002: first packet 0010, 2 packets asked for: 2 and 3; 7 bytes; cs a5.
const RESEND_2013 = hex('7e 8003 0007 013912345678 0002 0010 02 0002 0003 a5 7e');
// 2019 (attrs bit 14, version 01, BCD[10]), platform serial 0000: first packet 0010, 1 packet: 1; cs e4.
const RESEND_2019 = hex('7e 8003 4006 01 00000000013912345678 0000 0010 0001 0001 e4 7e');

// The second half of a 2019 location report split in two (serials 0010/0011); the first never came.
const PACKET_2 = hex('7e 0200 600c 01 00000000013912345678 0011 0002 0002 0014 01f4 005a 261127083015 c8 7e');
const PACKET_1 = hex(
  '7e 0200 6010 01 00000000013912345678 0010 0002 0001 00000000 00000103 0157faf8 06cc6289 27 7e',
);

function frameOf(wire: Buffer): ReturnType<typeof decodeFrame> & { ok: true } {
  const r = decodeFrame(inner(wire));
  if (!r.ok) throw new Error(`frame: ${r.reason}`);
  return r;
}

describe('0x8003 re-send request', () => {
  it('encodes and decodes 2013 and 2019 bodies byte for byte', () => {
    const r2013 = { firstSerial: 0x10, packetIds: [2, 3] };
    expect(
      encodeFrame(
        { msgId: MSG.RESEND_REQUEST, version: '2013', terminalPhone: '13912345678', serial: 2 },
        encodeResendRequest(r2013, '2013'),
      ),
    ).toEqual(RESEND_2013);
    const f = frameOf(RESEND_2013).frame;
    expect(decodeResendRequest(f.body, '2013')).toEqual({ ok: true, value: r2013 });
    const f19 = frameOf(RESEND_2019).frame;
    expect(f19.header).toMatchObject({ msgId: 0x8003, version: '2019', serial: 0 });
    expect(decodeResendRequest(f19.body, '2019')).toEqual({
      ok: true,
      value: { firstSerial: 0x10, packetIds: [1] },
    });
  });

  it('refuses a body whose count disagrees with its length; a 2013 count never passes one byte', () => {
    expect(decodeResendRequest(hex('0010 03 0002 0003'), '2013').ok).toBe(false);
    expect(decodeResendRequest(hex('0010'), '2019').ok).toBe(false);
    const many = Array.from({ length: 300 }, (_, i) => i + 1);
    const body = encodeResendRequest({ firstSerial: 1, packetIds: many }, '2013');
    expect(body[2]).toBe(maxResendIds('2013'));
    expect(body.length).toBe(3 + 2 * 255);
    expect(encodeResendRequest({ firstSerial: 1, packetIds: many }, '2019').readUInt16BE(2)).toBe(300);
  });

  it('the reassembler names the missing packet once the last has come, and the request is the hand-made frame', () => {
    const r = new Reassembler(60_000);
    expect(r.add(frameOf(PACKET_2).frame, 0)).toBeNull();
    const [gap, ...more] = r.missing(0, 15_000);
    expect(more).toEqual([]);
    expect(gap).toMatchObject({ firstSerial: 0x10, packetIds: [1] });
    const h = gap?.header;
    expect(
      encodeFrame(
        {
          msgId: MSG.RESEND_REQUEST,
          version: h?.version ?? '2013',
          protocolVersion: 1,
          terminalPhone: h?.terminalPhone ?? '',
          serial: 0,
        },
        encodeResendRequest({ firstSerial: gap?.firstSerial ?? -1, packetIds: gap?.packetIds ?? [] }, '2019'),
      ),
    ).toEqual(RESEND_2019);
    // Not asked again at once; asked again after a quiet spell; at most three times in all.
    expect(r.missing(1000, 15_000)).toEqual([]);
    expect(r.missing(15_000, 15_000)).toHaveLength(1);
    expect(r.missing(30_000, 15_000)).toHaveLength(1);
    expect(r.missing(45_000, 15_000)).toEqual([]);
    // The re-sent packet completes the message.
    expect(r.add(frameOf(PACKET_1).frame, 46_000)?.header).toMatchObject({ msgId: 0x200, serial: 0x10 });
    expect(r.size).toBe(0);
  });

  it('a message still arriving is not asked for until it has been quiet', () => {
    const r = new Reassembler(60_000);
    r.add(frameOf(PACKET_1).frame, 0); // packet 1 of 2: the last one may still be on its way
    expect(r.missing(5000, 15_000)).toEqual([]);
    expect(r.missing(15_000, 15_000)).toEqual([
      expect.objectContaining({ firstSerial: 0x10, packetIds: [2] }),
    ]);
    expect(r.missing(70_000, 15_000)).toEqual([]); // expired: dropped, nothing left to ask for
    expect(r.expired).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { bcdTimeToMs, escapeAndWrap, msToBcdTime, unescapeFrame } from './bytes.js';
import { FrameSplitter, decodeFrame, encodeFrame, type Frame } from './frame.js';
import { decodeLocation, encodeLocation, encodeLocationBatch, loadStateOf } from './location.js';
import {
  decodeMessage,
  encodeAuth,
  encodeGeneralResponse,
  encodeRegister,
  encodeRegisterResponse,
  type TerminalMessage,
} from './messages.js';
import { Reassembler } from './subpackage.js';

/**
 * Frames worked out field by field from JT/T 808-2013 and -2019 (header layouts, body
 * layouts, check code = XOR of header+body, escapes 7e→7d02 and 7d→7d01). The check codes
 * were computed independently of this codec. Terminal phone 013912345678 throughout.
 */
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const zeros = (n: number): string => '00'.repeat(n);
const inner = (wire: Buffer): Buffer => wire.subarray(1, wire.length - 1);

function decode(wire: Buffer): { frame: Frame; msg: TerminalMessage } {
  const r = decodeFrame(inner(wire));
  if (!r.ok) throw new Error(`frame: ${r.reason}`);
  const m = decodeMessage(r.frame);
  if (!m.ok) throw new Error(`message: ${m.reason}`);
  return { frame: r.frame, msg: m.value };
}

const T_0830 = Date.UTC(2026, 10, 27, 0, 30, 15); // 2026-11-27 08:30:15 GMT+8

// 0x0002 heartbeat, 2013: id 0002, attrs 0000, phone 01 39 12 34 56 78, serial 0001; cs 33.
const HEARTBEAT_2013 = hex('7e 0002 0000 013912345678 0001 33 7e');

// 0x0200 location, 2013, serial 0x007e (escaped 7d02), body 44 bytes:
// alarm 0, status 0x0303 (ACC, fix, bits 8–9 = 11 full), lat 22.543096 = 0157faf8,
// lon 114.057865 = 06cc6289, alt 20 m, speed 50.0 km/h (01f4), dir 90, time 261127083015,
// items 01/04 00003039 (1234.5 km), 30/01 1f, 31/01 0c, unknown e1/02 7d7e (escaped 7d01 7d02); cs 6d.
const LOCATION_2013 = hex(
  '7e 0200 002c 013912345678 00 7d02 00000000 00000303 0157faf8 06cc6289 0014 01f4 005a 261127083015' +
    ' 01 04 00003039 30 01 1f 31 01 0c e1 02 7d01 7d02 6d 7e',
);

// 0x0100 register, 2019: attrs 4054 (bit 14, 84 bytes), version 01, phone BCD[10], serial 0002;
// province 002c, city 0300, manufacturer[11] "MWSIM", model[30] "MW-T1", terminal id[30]
// "T0000001", colour 02, plate "粤B12345" in GBK (d4c1 423132333435); cs 17.
const REGISTER_2019 = hex(
  '7e 0100 4054 01 00000000013912345678 0002 002c 0300' +
    ` 4d5753494d ${zeros(6)}` +
    ` 4d572d5431 ${zeros(25)}` +
    ` 5430303030303031 ${zeros(22)}` +
    ' 02 d4c1423132333435 17 7e',
);

// 0x0100 register, 2013: manufacturer[5], model[20], terminal id[7]; 45 bytes; cs 18.
const REGISTER_2013 = hex(
  '7e 0100 002d 013912345678 0005 002c 0300 4d5753494d 4d572d5431000000000000000000000000000000' +
    ' 54303030303031 02 d4c1423132333435 18 7e',
);

// 0x8100 register response, 2019, platform serial 0: reply serial 0002, result 0, "AUTH1234"; cs f5.
const REGISTER_RESPONSE_2019 = hex(
  '7e 8100 400b 01 00000000013912345678 0000 0002 00 4155544831323334 f5 7e',
);

// 0x8001 general response, 2013, platform serial 1, answering serial 007e id 0200 with 0; cs c9.
const GENERAL_RESPONSE_2013 = hex('7e 8001 0005 013912345678 0001 007d02 0200 00 c9 7e');

// 0x0102 auth, 2013: the code is the whole body; cs 31.
const AUTH_2013 = hex('7e 0102 0008 013912345678 0006 4155544831323334 31 7e');

// 0x0102 auth, 2019: length 08, code, IMEI[15], software version[20]; 44 bytes; cs 57.
const AUTH_2019 = hex(
  '7e 0102 402c 01 00000000013912345678 0003 08 4155544831323334 383630303030303030303030303031' +
    ' 312e302e30 000000000000000000000000000000 57 7e',
);

// 0x0704 blind-area backlog (type 1), 2013, 2 items: the second is south/west (status 0x0f),
// alarm 1, 33.868820 S 151.209290 W, alt 5, 10.0 km/h, dir 270, 08:00:10, item 31/01 05; cs 9d.
const BATCH_2013 = hex(
  '7e 0704 0042 013912345678 0004 0002 01' +
    ' 001c 00000000 00000003 0157faf8 06cc6289 0000 0000 0000 261127080000' +
    ' 001f 00000001 0000000f 0204cc14 0903454a 0005 0064 010e 261127080010 31 01 05 9d 7e',
);

// 0x0200 split in two packets, 2019 (attrs bit 13 + bit 14): serials 0010/0011, total 2.
const PACKET_1 = hex(
  '7e 0200 6010 01 00000000013912345678 0010 0002 0001 00000000 00000103 0157faf8 06cc6289 27 7e',
);
const PACKET_2 = hex('7e 0200 600c 01 00000000013912345678 0011 0002 0002 0014 01f4 005a 261127083015 c8 7e');

describe('JT/T 808 bytes', () => {
  it('escapes as in the standard’s own example (30 7e 08 7d 55)', () => {
    expect(escapeAndWrap(hex('307e087d55'))).toEqual(hex('7e 30 7d02 08 7d01 55 7e'));
    expect(unescapeFrame(hex('30 7d02 08 7d01 55'))).toEqual(hex('307e087d55'));
    expect(unescapeFrame(hex('30 7d03'))).toBeNull();
    expect(unescapeFrame(hex('30 7d'))).toBeNull();
  });

  it('reads BCD times in GMT+8 and refuses impossible dates', () => {
    expect(bcdTimeToMs(hex('261127083015'), 0)).toBe(T_0830);
    expect(msToBcdTime(T_0830)).toEqual(hex('261127083015'));
    expect(bcdTimeToMs(hex('260231000000'), 0)).toBeNull();
    expect(bcdTimeToMs(hex('2611270830a5'), 0)).toBeNull();
  });
});

describe('JT/T 808 frames, 2013', () => {
  it('heartbeat', () => {
    const { frame, msg } = decode(HEARTBEAT_2013);
    expect(frame.header).toEqual({
      msgId: 2,
      version: '2013',
      protocolVersion: 0,
      terminalPhone: '013912345678',
      serial: 1,
      bodyLength: 0,
      encryption: 0,
    });
    expect(msg).toEqual({ kind: 'heartbeat' });
    expect(
      encodeFrame({ msgId: 2, version: '2013', terminalPhone: '13912345678', serial: 1 }, Buffer.alloc(0)),
    ).toEqual(HEARTBEAT_2013);
  });

  it('location with escapes, load state and additional items', () => {
    const { frame, msg } = decode(LOCATION_2013);
    expect(frame.header.serial).toBe(0x7e);
    expect(msg.kind).toBe('location');
    if (msg.kind !== 'location') return;
    expect(msg.value).toEqual({
      alarm: 0,
      status: 0x303,
      lat: 22.543096,
      lon: 114.057865,
      altitudeM: 20,
      speedKmh: 50,
      headingDeg: 90,
      timeMs: T_0830,
      acc: true,
      fix: true,
      loadState: 'full',
      mileageKm: 1234.5,
      signal: 31,
      satellites: 12,
      extra: [{ id: 0xe1, value: hex('7d7e') }],
    });
    const body = encodeLocation({ ...msg.value, status: 0x303 });
    expect(
      encodeFrame({ msgId: 0x200, version: '2013', terminalPhone: '013912345678', serial: 0x7e }, body),
    ).toEqual(LOCATION_2013);
  });

  it('load-state bits 8–9: empty, half, reserved, full', () => {
    expect([0, 0x100, 0x200, 0x300].map(loadStateOf)).toEqual(['empty', 'half', undefined, 'full']);
  });

  it('register (2013 field widths, GBK plate)', () => {
    const { msg } = decode(REGISTER_2013);
    const value = {
      province: 44,
      city: 0x300,
      manufacturer: 'MWSIM',
      model: 'MW-T1',
      terminalModelId: 'T000001',
      plateColor: 2,
      plate: '粤B12345',
    };
    expect(msg).toEqual({ kind: 'register', value });
    expect(
      encodeFrame(
        { msgId: 0x100, version: '2013', terminalPhone: '013912345678', serial: 5 },
        encodeRegister(value, '2013'),
      ),
    ).toEqual(REGISTER_2013);
  });

  it('auth', () => {
    expect(decode(AUTH_2013).msg).toEqual({ kind: 'auth', value: { authCode: 'AUTH1234' } });
    expect(
      encodeFrame(
        { msgId: 0x102, version: '2013', terminalPhone: '013912345678', serial: 6 },
        encodeAuth({ authCode: 'AUTH1234' }, '2013'),
      ),
    ).toEqual(AUTH_2013);
  });

  it('general response 0x8001 with an escaped reply serial', () => {
    const body = encodeGeneralResponse({ replySerial: 0x7e, replyId: 0x200, result: 0 });
    expect(
      encodeFrame({ msgId: 0x8001, version: '2013', terminalPhone: '013912345678', serial: 1 }, body),
    ).toEqual(GENERAL_RESPONSE_2013);
  });

  it('blind-area batch 0x0704 with hemispheres', () => {
    const { msg } = decode(BATCH_2013);
    expect(msg.kind).toBe('batch');
    if (msg.kind !== 'batch') return;
    expect(msg.value.type).toBe(1);
    expect(msg.value.items.map((l) => [l.lat, l.lon, l.timeMs, l.fix, l.alarm, l.satellites])).toEqual([
      [22.543096, 114.057865, Date.UTC(2026, 10, 27, 0, 0, 0), true, 0, undefined],
      [-33.86882, -151.20929, Date.UTC(2026, 10, 27, 0, 0, 10), true, 1, 5],
    ]);
    const body = encodeLocationBatch(
      1,
      msg.value.items.map((l) => ({ ...l, status: l.status })),
    );
    expect(
      encodeFrame({ msgId: 0x704, version: '2013', terminalPhone: '013912345678', serial: 4 }, body),
    ).toEqual(BATCH_2013);
  });
});

describe('JT/T 808 frames, 2019', () => {
  it('register with 2019 header and widths', () => {
    const { frame, msg } = decode(REGISTER_2019);
    expect(frame.header).toMatchObject({
      version: '2019',
      protocolVersion: 1,
      terminalPhone: '00000000013912345678',
      serial: 2,
    });
    const value = {
      province: 44,
      city: 0x300,
      manufacturer: 'MWSIM',
      model: 'MW-T1',
      terminalModelId: 'T0000001',
      plateColor: 2,
      plate: '粤B12345',
    };
    expect(msg).toEqual({ kind: 'register', value });
    const out = encodeFrame(
      { msgId: 0x100, version: '2019', protocolVersion: 1, terminalPhone: '13912345678', serial: 2 },
      encodeRegister(value, '2019'),
    );
    expect(out).toEqual(REGISTER_2019);
  });

  it('register response 0x8100 carries the auth code', () => {
    const body = encodeRegisterResponse({ replySerial: 2, result: 0, authCode: 'AUTH1234' });
    expect(
      encodeFrame(
        { msgId: 0x8100, version: '2019', protocolVersion: 1, terminalPhone: '13912345678', serial: 0 },
        body,
      ),
    ).toEqual(REGISTER_RESPONSE_2019);
    // A refusal carries no code.
    expect(encodeRegisterResponse({ replySerial: 2, result: 4, authCode: 'x' })).toEqual(hex('000204'));
  });

  it('auth with IMEI and software version', () => {
    const value = { authCode: 'AUTH1234', imei: '860000000000001', softwareVersion: '1.0.0' };
    expect(decode(AUTH_2019).msg).toEqual({ kind: 'auth', value });
    expect(
      encodeFrame(
        { msgId: 0x102, version: '2019', protocolVersion: 1, terminalPhone: '13912345678', serial: 3 },
        encodeAuth(value, '2019'),
      ),
    ).toEqual(AUTH_2019);
  });

  it('subpackages reassemble, in any order, and expire when incomplete', () => {
    const f1 = decodeFrame(inner(PACKET_1));
    const f2 = decodeFrame(inner(PACKET_2));
    if (!f1.ok || !f2.ok) throw new Error('packets must decode');
    expect(f1.frame.header.packet).toEqual({ total: 2, index: 1 });
    const r = new Reassembler(60_000);
    expect(r.add(f2.frame, 0)).toBeNull();
    const whole = r.add(f1.frame, 1);
    expect(whole?.header).toMatchObject({ msgId: 0x200, serial: 0x10, bodyLength: 28 });
    expect(whole?.header.packet).toBeUndefined();
    const loc = decodeLocation(whole?.body ?? Buffer.alloc(0));
    expect(loc.ok && loc.value).toMatchObject({
      lat: 22.543096,
      speedKmh: 50,
      loadState: 'half',
      timeMs: T_0830,
    });
    expect(r.add(f1.frame, 2)).toBeNull();
    expect(r.add(f2.frame, 70_000)).toBeNull(); // the first half timed out
    expect(r.expired).toBe(1);
  });
});

describe('frame errors', () => {
  it('a bad check code still yields the header (for a result-2 answer)', () => {
    const bad = Buffer.from(HEARTBEAT_2013);
    bad[bad.length - 2] = (bad[bad.length - 2] ?? 0) ^ 0xff;
    const r = decodeFrame(inner(bad));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe('checksum');
    expect(r.header?.serial).toBe(1);
  });

  it('a body length that disagrees with the attributes is refused', () => {
    const raw = hex('0002 0001 013912345678 0001');
    const cs = raw.reduce((a, b) => a ^ b, 0);
    const r = decodeFrame(Buffer.concat([raw, Buffer.from([cs])]));
    expect(r.ok || r.reason).toBe('length');
  });

  it('the splitter finds frames across chunks, shares flags, drops noise and oversize frames', () => {
    const s = new FrameSplitter(64);
    const got: string[] = [];
    const wire = Buffer.concat([hex('aabb'), HEARTBEAT_2013, LOCATION_2013.subarray(1)]);
    for (let i = 0; i < wire.length; i += 5)
      s.push(wire.subarray(i, i + 5), (f) => got.push(f.toString('hex')));
    expect(got).toEqual([inner(HEARTBEAT_2013).toString('hex'), inner(LOCATION_2013).toString('hex')]);
    expect(s.discarded).toBe(2);
    const big = new FrameSplitter(16);
    const seen: Buffer[] = [];
    big.push(Buffer.concat([hex('7e'), Buffer.alloc(40, 1), HEARTBEAT_2013]), (f) => seen.push(f));
    expect(seen.map((f) => f.toString('hex'))).toEqual([inner(HEARTBEAT_2013).toString('hex')]);
  });
});

import { describe, expect, it } from 'vitest';
import { liveFfmpegArgs } from './ffmpeg-args.js';
import { avcCodecString, BoxSplitter, startsWithKeyframe } from './fmp4.js';
import { groupStart, packetPid, TS_PACKET, TsAligner } from './mpegts.js';

const box = (type: string, payload: Buffer = Buffer.alloc(0)): Buffer => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + payload.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, payload]);
};
const u32 = (...v: number[]): Buffer => {
  const b = Buffer.alloc(4 * v.length);
  v.forEach((x, i) => b.writeUInt32BE(x >>> 0, i * 4));
  return b;
};
/** A moof whose trun carries first-sample flags (as ffmpeg writes them). */
const moof = (firstSampleFlags: number): Buffer =>
  box(
    'moof',
    box(
      'traf',
      Buffer.concat([box('tfhd', u32(0x020000, 1)), box('trun', u32(0x000005, 1, 100, firstSampleFlags))]),
    ),
  );

describe('fragmented MP4 relay', () => {
  it('splits boxes whatever the chunk boundaries', () => {
    const stream = Buffer.concat([
      box('ftyp', Buffer.from('isom')),
      box('moov', Buffer.alloc(30)),
      box('mdat', Buffer.alloc(5)),
    ]);
    const s = new BoxSplitter();
    const types: string[] = [];
    for (let i = 0; i < stream.length; i += 7)
      types.push(...s.push(stream.subarray(i, i + 7)).map((b) => b.type));
    expect(types).toEqual(['ftyp', 'moov', 'mdat']);
    expect(s.buffered).toBe(0);
  });

  it('refuses a corrupt box size rather than waiting forever', () => {
    expect(() => new BoxSplitter().push(Buffer.from([0, 0, 0, 3, 0x6d, 0x6f, 0x6f, 0x66]))).toThrow(
      /corrupt/,
    );
  });

  it('tells keyframe fragments from the rest by the first sample flags', () => {
    expect(startsWithKeyframe(moof(0x02000000))).toBe(true); // depends on nothing, sync
    expect(startsWithKeyframe(moof(0x01010000))).toBe(false); // non-sync sample
    expect(startsWithKeyframe(box('moof'), true)).toBe(true); // nothing said: the fallback
  });

  it('reads the codec string from avcC', () => {
    const moov = box('moov', box('avcC', Buffer.from([1, 0x64, 0x00, 0x1e, 0xff])));
    expect(avcCodecString(moov)).toBe('avc1.64001e');
    expect(avcCodecString(box('moov'))).toBeNull();
  });
});

describe('MPEG-TS relay', () => {
  const packet = (pid: number, start: boolean, payload: number[] = []): Buffer => {
    const p = Buffer.alloc(TS_PACKET, 0xff);
    p[0] = 0x47;
    p[1] = (start ? 0x40 : 0) | (pid >> 8);
    p[2] = pid & 0xff;
    p[3] = 0x10;
    Buffer.from(payload).copy(p, 4);
    return p;
  };

  it('hands on whole packets only', () => {
    const a = new TsAligner();
    const two = Buffer.concat([packet(0x100, false), packet(0x100, false)]);
    expect(a.push(two.subarray(0, 200)).length).toBe(TS_PACKET);
    expect(a.push(two.subarray(200)).length).toBe(TS_PACKET);
    expect(packetPid(two)).toBe(0x100);
  });

  it('finds the packet that starts a picture group (sequence header)', () => {
    const run = Buffer.concat([
      packet(0x100, true, [0, 0, 1, 0xe0, 0, 0, 0, 0, 1, 0x00]),
      packet(0x100, true, [0, 0, 1, 0xe0, 0, 0, 0, 0, 1, 0xb3]),
    ]);
    expect(groupStart(run)).toBe(TS_PACKET);
    expect(groupStart(run.subarray(0, TS_PACKET))).toBe(-1);
  });
});

describe('live ffmpeg arguments', () => {
  it('copies H.264 for MSE and re-encodes to MPEG-1 only for JSMpeg', () => {
    const input = { url: 'rtsp://cam/1', transport: 'tcp' as const };
    const mp4 = liveFfmpegArgs(input, 'fmp4');
    expect(mp4.slice(mp4.indexOf('-c:v'), mp4.indexOf('-c:v') + 2)).toEqual(['-c:v', 'copy']);
    expect(mp4).toContain('empty_moov+default_base_moof+frag_every_frame');
    const ts = liveFfmpegArgs(input, 'mpegts');
    expect(ts.slice(ts.indexOf('-c:v'), ts.indexOf('-c:v') + 2)).toEqual(['-c:v', 'mpeg1video']);
    expect(ts.at(-1)).toBe('pipe:1');
  });
});

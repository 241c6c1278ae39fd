import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { classifyFailure } from './failure.js';
import { ffmpegPlan, letterboxFilter } from './ffmpeg-args.js';
import { DropOldestQueue } from './frame-queue.js';
import { FrameSplitter } from './frame-splitter.js';
import { parseSegmentList } from './segment-list.js';
import {
  isVerboseLine,
  parseFilterInputSize,
  parseSourceResolution,
  parseStatsFrame,
} from './stderr-stats.js';

describe('ffmpeg command line', () => {
  const plan = ffmpegPlan(
    { url: 'rtsp://cam/live', transport: 'udp' },
    { fps: 5, width: 640, height: 384 },
    { dir: '/rec/7', segmentSeconds: 4, listFile: '/rec/7/.s.csv' },
    { ioSeconds: 10 },
  );

  it('pulls RTSP over the chosen transport with a socket timeout', () => {
    expect(plan.inputOptions.join(' ')).toContain('-rtsp_transport udp -timeout 10000000');
  });

  it('records in copy mode (no re-encode) as wall-clock-named MPEG-TS segments', () => {
    const o = plan.recording.options.join(' ');
    expect(o).toContain('-c copy');
    expect(o).toContain('-segment_time 4');
    expect(o).toContain('-strftime 1');
    expect(plan.recording.target).toBe('/rec/7/%Y%m%dT%H%M%SZ.ts');
  });

  it('letterboxes to the model size with pad 114 at the detect rate', () => {
    expect(letterboxFilter({ fps: 5, width: 640, height: 384 })).toBe(
      'fps=5,scale=640:384:force_original_aspect_ratio=decrease:flags=fast_bilinear,' +
        'pad=640:384:(ow-iw)/2:(oh-ih)/2:color=0x727272,format=rgb24',
    );
    expect(plan.frames.options).toContain('rawvideo');
  });

  it('reads local files at their native rate (no RTSP options)', () => {
    const local = ffmpegPlan(
      { url: '/clips/a.mp4', transport: 'tcp' },
      { fps: 5, width: 64, height: 64 },
      {
        dir: '/r',
        segmentSeconds: 2,
        listFile: '/r/l.csv',
      },
      { ioSeconds: 5 },
    );
    expect(local.inputOptions).toContain('-re');
    expect(local.inputOptions).not.toContain('-rtsp_transport');
  });

  it('decodes on one thread; fast decode also skips deblocking (input options; recording stays a copy)', () => {
    const spec = [
      { url: 'rtsp://cam/live', transport: 'tcp' as const },
      { fps: 5, width: 320, height: 320 },
      { dir: '/r', segmentSeconds: 4, listFile: '/r/l.csv' },
      { ioSeconds: 10 },
    ] as const;
    const fast = ffmpegPlan(...spec, { fast: true });
    expect(fast.inputOptions.join(' ')).toContain('-threads 1 -skip_loop_filter all');
    expect(fast.recording.options.join(' ')).toContain('-c copy');
    const plain = ffmpegPlan(...spec).inputOptions;
    expect(plain.join(' ')).toContain('-threads 1');
    expect(plain).not.toContain('-skip_loop_filter');
  });

  it('with a sub stream, records the main stream (input 0) and decodes only the sub stream (input 1)', () => {
    const withSub = ffmpegPlan(
      { url: 'rtsp://cam/main', transport: 'tcp' },
      { fps: 5, width: 320, height: 320 },
      { dir: '/r', segmentSeconds: 4, listFile: '/r/l.csv' },
      { ioSeconds: 10 },
      { fast: true },
      { url: 'rtsp://cam/sub', transport: 'tcp' },
    );
    expect(withSub.input).toBe('rtsp://cam/main');
    expect(withSub.inputOptions).not.toContain('-threads');
    expect(withSub.detectInput?.url).toBe('rtsp://cam/sub');
    expect(withSub.detectInput?.options.join(' ')).toContain(
      '-rtsp_transport tcp -timeout 10000000 -fflags +genpts+discardcorrupt -threads 1 -skip_loop_filter all',
    );
    expect(withSub.recording.options.join(' ')).toContain('-map 0:v:0 -c copy');
    expect(withSub.frames.options.join(' ')).toContain('-map 1:v:0 -an -vf fps=5');
    expect(plan.detectInput).toBeNull();
    expect(plan.frames.options.join(' ')).toContain('-map 0:v:0');
  });
});

describe('failure causes', () => {
  it.each([
    ['[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized', 'auth_refused', false],
    ['[rtsp @ 0x1] method DESCRIBE failed: 404 Not Found', 'not_found', false],
    [
      '[tcp @ 0x1] Connection to tcp://10.0.0.9:554?timeout=0 failed: Connection refused',
      'connection_refused',
      true,
    ],
    ['[tcp @ 0x1] Connection to tcp://cam:554 failed: No route to host', 'host_unreachable', true],
    ['rtsp://x: Invalid data found when processing input', 'bad_url', false],
    ['[h264 @ 0x1] Decoder (codec hevc) not found for input stream #0:0', 'codec_unsupported', false],
  ])('%s → %s', (line, kind, transient) => {
    const f = classifyFailure(`some banner\n${line}\n`, 1);
    expect(f.kind).toBe(kind);
    expect(f.transient).toBe(transient);
    expect(f.message).toContain(line.slice(0, 20));
  });

  it('an exit 0 is the end of the stream; anything else keeps ffmpeg last words', () => {
    expect(classifyFailure('', 0).kind).toBe('stream_ended');
    const u = classifyFailure('x\nsomething odd happened', 183);
    expect(u.kind).toBe('unknown');
    expect(u.message).toContain('183');
    expect(u.message).toContain('something odd happened');
  });
});

describe('backoff', () => {
  const p = { baseMs: 1000, capMs: 30_000 };
  it('grows exponentially, is capped, and jitters within [ceiling/2, ceiling]', () => {
    expect(backoffDelay(p, 0, 0)).toBe(500);
    expect(backoffDelay(p, 0, 0.999)).toBeLessThanOrEqual(1000);
    expect(backoffDelay(p, 3, 0)).toBe(4000);
    expect(backoffDelay(p, 20, 0.5)).toBe(22_500);
    expect(backoffDelay(p, 1000, 1)).toBe(30_000);
  });
});

describe('bounded frame queue', () => {
  it('drops the oldest when full and counts the drops', () => {
    const q = new DropOldestQueue<number>(3);
    for (let i = 0; i < 5; i++) q.push(i);
    expect(q.dropped).toBe(2);
    expect([q.poll(), q.poll(), q.poll(), q.poll()]).toEqual([2, 3, 4, undefined]);
  });

  it('tells of each item it drops', () => {
    const dropped: number[] = [];
    const q = new DropOldestQueue<number>(2, (i) => dropped.push(i));
    for (let i = 0; i < 5; i++) q.push(i);
    expect(dropped).toEqual([0, 1, 2]);
  });

  it('hands an item straight to a waiting consumer', async () => {
    const q = new DropOldestQueue<string>(1);
    const next = q.take();
    q.push('a');
    expect(await next).toBe('a');
    expect(q.size).toBe(0);
  });
});

describe('frame splitter', () => {
  it('cuts arbitrary chunks into whole frames and keeps the remainder', () => {
    const frames: number[][] = [];
    const s = new FrameSplitter(4, (f) => frames.push([...f]));
    s.write(Buffer.from([1, 2, 3]));
    s.write(Buffer.from([4, 5, 6, 7, 8, 9, 10]));
    expect(frames).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    expect(s.pending).toBe(2);
  });

  it('fills a recycled frame again, once, and never one of another size', () => {
    const frames: Buffer[] = [];
    const s = new FrameSplitter(2, (f) => frames.push(f));
    s.write(Buffer.from([1, 2, 3, 4]));
    const [a, b] = frames as [Buffer, Buffer];
    expect(a).not.toBe(b);
    s.recycle(b);
    s.recycle(b); // a second hand-back must not give two frames one buffer
    s.recycle(Buffer.alloc(3));
    s.write(Buffer.from([5, 6, 7, 8, 9, 10]));
    // The buffer already being filled when b came back goes first, then b, then a new one.
    expect(frames[3]).toBe(b);
    expect([...b]).toEqual([7, 8]);
    expect(new Set(frames).size).toBe(4); // a, b, a new one, b again, another new one
  });
});

describe('ffmpeg output parsing', () => {
  it('reads segment lists, ignoring partial lines', () => {
    expect(parseSegmentList('a.ts,0.000000,4.000000\nb.ts,4.000000,8.040000\nc.ts,8.0')).toEqual([
      { file: 'a.ts', startS: 0, endS: 4 },
      { file: 'b.ts', startS: 4, endS: 8.04 },
    ]);
  });

  it('reads the source resolution and the stats frame counter', () => {
    expect(
      parseSourceResolution(
        '[info]   Stream #0:0: Video: h264 (High), yuv420p(progressive), 1920x1080, 25 fps',
      ),
    ).toEqual({ width: 1920, height: 1080 });
    expect(parseSourceResolution('Stream #0:1: Audio: aac, 48000 Hz')).toBeNull();
    expect(
      parseFilterInputSize(
        '[graph 0 input from stream 0:0 @ 0x55d1c8e0] [verbose] w:320 h:240 pixfmt:yuv420p tb:1/90000 fr:25/1 sar:1/1',
      ),
    ).toEqual({ width: 320, height: 240 });
    expect(parseFilterInputSize('[Parsed_scale_1 @ 0x55] [verbose] w:320 h:320 flags:')).toBeNull();
    // With a sub stream analysed, its picture is input 1; input 0 (the main stream) is only recorded.
    const sub = '[graph 0 input from stream 1:0 @ 0x55d1c8e0] [verbose] w:640 h:360 pixfmt:yuv420p';
    expect(parseFilterInputSize(sub)).toBeNull();
    expect(parseFilterInputSize(sub, 1)).toEqual({ width: 640, height: 360 });
    const input1 = '[info]   Stream #1:0: Video: h264 (Main), yuv420p(progressive), 640x360, 25 fps';
    expect(parseSourceResolution(input1)).toBeNull();
    expect(parseSourceResolution(input1, 1)).toEqual({ width: 640, height: 360 });
    expect(isVerboseLine('[h264 @ 0x5] [verbose] Reinit context to 320x240')).toBe(true);
    expect(isVerboseLine('[verbose] Statistics: 114 bytes written')).toBe(true);
    expect(isVerboseLine('[tcp @ 0x5] [error] Connection refused')).toBe(false);
    expect(isVerboseLine('[info] frame=  102 fps= 25')).toBe(false);
    expect(parseStatsFrame('[info] frame=  102 fps= 25 q=-1.0 size=N/A')).toBe(102);
    expect(parseStatsFrame('frame=7 fps=0.0')).toBe(7);
  });
});

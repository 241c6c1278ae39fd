import { spawn } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { classifyFailure, type Failure } from './camera-failure.js';

/**
 * One short look at a camera stream, as the pipeline's supervisor would see it: ffprobe for the
 * codec, resolution and frame rate ("test connection"), ffmpeg for one JPEG frame (the picture an
 * admin draws image zones on). Failures come back classified, with any password taken out.
 */
export interface StreamSource {
  /** With credentials already in it (urlWithCredentials). */
  readonly url: string;
  readonly transport: 'tcp' | 'udp';
  readonly timeoutS: number;
}

export type ProbeResult =
  | {
      readonly ok: true;
      readonly codec: string;
      readonly width: number;
      readonly height: number;
      readonly fps: number | null;
      readonly elapsedMs: number;
    }
  | { readonly ok: false; readonly failure: Failure; readonly elapsedMs: number };

/** ffprobe next to the configured ffmpeg (`/opt/ff/ffmpeg` → `/opt/ff/ffprobe`). */
export function ffprobeBeside(ffmpeg: string): string {
  const name = basename(ffmpeg).replace(/ffmpeg/, 'ffprobe');
  return ffmpeg.includes('/') ? join(dirname(ffmpeg), name) : name;
}

const inputArgs = (s: StreamSource): string[] =>
  s.url.startsWith('rtsp')
    ? ['-rtsp_transport', s.transport, '-timeout', String(Math.round(s.timeoutS * 1e6)), '-i', s.url]
    : ['-i', s.url];

interface Run {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly killed: boolean;
}

/** Run a child with a hard deadline (a camera that accepts and then says nothing must not hang us). */
function run(cmd: string, args: string[], deadlineMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, deadlineMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      if (err.length < 20_000) err += b.toString();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout: Buffer.alloc(0), stderr: `${err}\n${e.message}`, killed });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: err, killed });
    });
  });
}

function failed(r: Run, timeoutS: number, elapsedMs: number): Failure {
  // ffmpeg reports its own I/O timeout as "Invalid data found": a wait that long was silence.
  if (r.killed || (elapsedMs >= timeoutS * 1000 && /Invalid data found/.test(r.stderr)))
    return {
      kind: 'timeout',
      transient: true,
      message: `the camera did not answer in time (no picture within ${String(timeoutS)} s)`,
    };
  return classifyFailure(r.stderr, r.code);
}

/** "25/1" → 25, "30000/1001" → 29.97, "0/0" → null. */
export function parseRate(rate: string | undefined): number | null {
  const [n, d] = (rate ?? '').split('/').map(Number);
  if (n === undefined || !Number.isFinite(n) || n <= 0) return null;
  const v = d === undefined ? n : n / d;
  return Number.isFinite(v) && v > 0 ? Math.round(v * 100) / 100 : null;
}

export async function probeStream(ffprobe: string, s: StreamSource): Promise<ProbeResult> {
  const t0 = Date.now();
  const r = await run(
    ffprobe,
    [
      '-v',
      'error',
      ...inputArgs(s),
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,width,height,avg_frame_rate,r_frame_rate',
      '-of',
      'json',
    ],
    (s.timeoutS + 5) * 1000,
  );
  const elapsedMs = Date.now() - t0;
  if (r.code !== 0 || r.killed) return { ok: false, failure: failed(r, s.timeoutS, elapsedMs), elapsedMs };
  const parsed = JSON.parse(r.stdout.toString() || '{}') as {
    streams?: {
      codec_name?: string;
      width?: number;
      height?: number;
      avg_frame_rate?: string;
      r_frame_rate?: string;
    }[];
  };
  const v = parsed.streams?.[0];
  if (!v?.codec_name || !v.width || !v.height)
    return {
      ok: false,
      failure: { kind: 'codec_unsupported', transient: false, message: 'the stream has no video track' },
      elapsedMs,
    };
  return {
    ok: true,
    codec: v.codec_name,
    width: v.width,
    height: v.height,
    fps: parseRate(v.avg_frame_rate) ?? parseRate(v.r_frame_rate),
    elapsedMs,
  };
}

/** One frame as JPEG, from a stream or a recorded segment file. */
export async function grabJpeg(
  ffmpeg: string,
  s: StreamSource,
): Promise<{ ok: true; jpeg: Buffer } | { ok: false; failure: Failure }> {
  const t0 = Date.now();
  const r = await run(
    ffmpeg,
    [
      '-v',
      'error',
      ...inputArgs(s),
      '-frames:v',
      '1',
      '-an',
      '-f',
      'image2pipe',
      '-c:v',
      'mjpeg',
      '-q:v',
      '4',
      'pipe:1',
    ],
    (s.timeoutS + 5) * 1000,
  );
  if (r.code === 0 && !r.killed && r.stdout.length > 0) return { ok: true, jpeg: r.stdout };
  return { ok: false, failure: failed(r, s.timeoutS, Date.now() - t0) };
}

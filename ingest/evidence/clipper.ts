import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tsKeyframeTimes } from './ts-keyframes.js';

const run = promisify(execFile);

export interface SourceSegment {
  readonly path: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** ffprobe lives beside ffmpeg. */
export const ffprobeFor = (ffmpegPath: string): string => ffmpegPath.replace(/ffmpeg(?=[^/]*$)/, 'ffprobe');

/**
 * Pure: the concat list and cut points for [fromMs, toMs]. The cut starts on the last keyframe at
 * or before `fromMs` (keyframe times within the first segment, seconds), so the clip's first
 * frame decodes and lies within one GOP of the request.
 */
export function clipPlan(
  segments: readonly SourceSegment[],
  fromMs: number,
  toMs: number,
  firstSegmentKeyframesS: readonly number[],
): { list: string; startS: number; durationS: number } {
  const first = segments[0];
  if (!first) throw new Error('no segments to cut from');
  const wanted = Math.max(0, (fromMs - first.startMs) / 1000);
  const startS = Math.max(0, ...firstSegmentKeyframesS.filter((k) => k <= wanted + 1e-6));
  const end = Math.min(toMs, segments[segments.length - 1]?.endMs ?? toMs);
  const quote = (p: string): string => `'${p.replace(/'/g, "'\\''")}'`;
  return {
    list: `ffconcat version 1.0\n${segments.map((s) => `file ${quote(s.path)}`).join('\n')}\n`,
    startS,
    durationS: Math.max(0, (end - first.startMs) / 1000 - startS),
  };
}

/**
 * Cut a clip without re-encoding: concat the segments, start on the keyframe at or before the
 * request, and write a faststart MP4 a browser can play while downloading. Returns the clip's
 * start offset within the first segment.
 */
export async function cutClip(opts: {
  ffmpeg: string;
  segments: readonly SourceSegment[];
  fromMs: number;
  toMs: number;
  outPath: string;
}): Promise<{ startS: number }> {
  const firstPath = opts.segments[0]?.path;
  const keyframes = firstPath ? tsKeyframeTimes(await readFile(firstPath)) : [];
  const plan = clipPlan(opts.segments, opts.fromMs, opts.toMs, keyframes);
  const listPath = `${opts.outPath}.ffconcat`;
  await writeFile(listPath, plan.list);
  try {
    // Output-side -ss on an exact keyframe time: packets before it are dropped, none re-encoded.
    // (Input-side seeking in MPEG-TS is byte-based and can land seconds early.)
    await run(opts.ffmpeg, [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      listPath,
      '-ss',
      plan.startS.toFixed(3),
      '-t',
      plan.durationS.toFixed(3),
      '-map',
      '0:v:0',
      '-c',
      'copy',
      '-movflags',
      '+faststart',
      '-avoid_negative_ts',
      'make_zero',
      opts.outPath,
    ]);
  } finally {
    await rm(listPath, { force: true });
  }
  return { startS: plan.startS };
}

export async function probeVideo(
  ffmpeg: string,
  path: string,
): Promise<{ durationS: number; codec: string }> {
  const { stdout } = await run(ffprobeFor(ffmpeg), [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'format=duration:stream=codec_name',
    '-of',
    'json',
    path,
  ]);
  const j = JSON.parse(stdout) as { format?: { duration?: string }; streams?: { codec_name?: string }[] };
  return { durationS: Number(j.format?.duration ?? 0), codec: j.streams?.[0]?.codec_name ?? 'unknown' };
}

export interface DrawnBox {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** One frame of the clip at `atS` as JPEG, with the detection boxes drawn (source pixels). */
export async function snapshotWithBoxes(opts: {
  ffmpeg: string;
  clip: string;
  atS: number;
  boxes: readonly DrawnBox[];
  outPath: string;
}): Promise<void> {
  const draw = opts.boxes.map(
    (b) =>
      `drawbox=x=${String(Math.round(b.x))}:y=${String(Math.round(b.y))}:w=${String(Math.round(b.w))}:` +
      `h=${String(Math.round(b.h))}:color=red@0.9:t=3`,
  );
  await run(opts.ffmpeg, [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-ss',
    Math.max(0, opts.atS).toFixed(3),
    '-i',
    opts.clip,
    '-frames:v',
    '1',
    ...(draw.length ? ['-vf', draw.join(',')] : []),
    '-q:v',
    '3',
    opts.outPath,
  ]);
}

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** An H.264 clip without B-frames (what cameras send), cached under .data/bench. */
export function makeBenchClip(width: number, height: number, seconds: number): string {
  const dir = join('.data', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `testsrc-${String(width)}x${String(height)}-${String(seconds)}s.mp4`);
  if (!existsSync(file)) {
    execFileSync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${String(width)}x${String(height)}:rate=25`,
      '-t',
      String(seconds),
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-bf',
      '0',
      '-g',
      '50',
      '-b:v',
      width >= 1920 ? '4M' : '2M',
      '-pix_fmt',
      'yuv420p',
      file,
    ]);
  }
  return file;
}

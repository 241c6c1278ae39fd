import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A short H.264 test clip made by ffmpeg itself (tests only). */
export function makeClip(opts: { width: number; height: number; seconds: number; fps?: number }): string {
  const dir = mkdtempSync(join(tmpdir(), 'mw-clip-'));
  const file = join(dir, `src-${String(opts.width)}x${String(opts.height)}.mp4`);
  const fps = opts.fps ?? 25;
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${String(opts.width)}x${String(opts.height)}:rate=${String(fps)}`,
    '-t',
    String(opts.seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    String(fps),
    '-bf',
    '0',
    '-pix_fmt',
    'yuv420p',
    file,
  ]);
  return file;
}

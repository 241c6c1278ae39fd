/** Pure: facts ffmpeg prints on stderr (info and verbose levels). */

/** "Stream #0:0: Video: h264 (High), yuv420p(progressive), 1280x720, 25 fps" → 1280x720 (of input `input`). */
export function parseSourceResolution(line: string, input = 0): { width: number; height: number } | null {
  if (!new RegExp(`Stream #${String(input)}:\\d+.*: Video:`).test(line)) return null;
  const m = /, (\d{2,5})x(\d{2,5})[ ,[]/.exec(line);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : null;
}

/**
 * "[graph 0 input from stream 0:0 @ 0x…] [verbose] w:320 h:240 pixfmt:yuv420p …" (verbose) → 320x240.
 * Printed each time the filter graph is (re)configured, so it follows a mid-stream resolution
 * change that the info-level stream banner never reports again.
 */
export function parseFilterInputSize(line: string, input = 0): { width: number; height: number } | null {
  const m = new RegExp(
    `\\[graph \\d+ input from stream ${String(input)}:\\d+[^\\]]*\\] (?:\\[verbose\\] )?w:(\\d{1,5}) h:(\\d{1,5})`,
  ).exec(line);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : null;
}

/** Verbose lines only feed the parsers above: they would crowd errors out of the kept tail. */
export const isVerboseLine = (line: string): boolean => /^(?:\[[^\]]*\] )?\[verbose\]/.test(line);

/** "frame=  250 fps= 25 q=-1.0 size=…" → 250 (frames of the first output: the recording copy). */
export function parseStatsFrame(line: string): number | null {
  const m = /^(?:\[\w+\]\s*)?frame=\s*(\d+)/.exec(line.trim());
  return m ? Number(m[1]) : null;
}

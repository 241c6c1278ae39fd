/** Pure: facts ffmpeg prints on stderr at info level. */

/** "Stream #0:0: Video: h264 (High), yuv420p(progressive), 1280x720, 25 fps" → 1280x720. */
export function parseSourceResolution(line: string): { width: number; height: number } | null {
  if (!/Stream #0:\d+.*: Video:/.test(line)) return null;
  const m = /, (\d{2,5})x(\d{2,5})[ ,[]/.exec(line);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : null;
}

/** "frame=  250 fps= 25 q=-1.0 size=…" → 250 (frames of the first output: the recording copy). */
export function parseStatsFrame(line: string): number | null {
  const m = /^(?:\[\w+\]\s*)?frame=\s*(\d+)/.exec(line.trim());
  return m ? Number(m[1]) : null;
}

/** Pure: parse ffmpeg's CSV segment list lines ("name,start,end" in stream seconds). */
export interface ListedSegment {
  readonly file: string;
  readonly startS: number;
  readonly endS: number;
}

export function parseSegmentList(text: string): ListedSegment[] {
  const out: ListedSegment[] = [];
  for (const line of text.split('\n')) {
    const parts = line.trim().split(',');
    if (parts.length !== 3) continue;
    const [file, start, end] = parts as [string, string, string];
    const startS = Number(start);
    const endS = Number(end);
    if (file && Number.isFinite(startS) && Number.isFinite(endS) && endS >= startS)
      out.push({ file, startS, endS });
  }
  return out;
}

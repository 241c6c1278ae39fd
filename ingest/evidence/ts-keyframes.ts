/**
 * Pure: keyframe times of an MPEG-TS file, read from its packets (no decoding, no ffprobe
 * process): a video PES whose packet carries the random-access indicator starts a keyframe.
 * Times are seconds from the file's first video timestamp, as the concat demuxer counts them.
 */
const PACKET = 188;

function pesPts(p: Uint8Array, at: number): number | null {
  // 00 00 01, stream id 0xE0–0xEF (video), PTS present
  if (p[at] !== 0 || p[at + 1] !== 0 || p[at + 2] !== 1) return null;
  const sid = p[at + 3] ?? 0;
  if (sid < 0xe0 || sid > 0xef) return null;
  if (((p[at + 7] ?? 0) & 0x80) === 0) return null;
  const b = (i: number): number => p[at + 9 + i] ?? 0;
  return (
    ((b(0) >> 1) & 0x07) * 2 ** 30 + b(1) * 2 ** 22 + (b(2) >> 1) * 2 ** 15 + b(3) * 2 ** 7 + (b(4) >> 1)
  );
}

export function tsKeyframeTimes(data: Uint8Array): number[] {
  const keyPts: number[] = [];
  let first = Infinity;
  for (let off = 0; off + PACKET <= data.length; off += PACKET) {
    if (data[off] !== 0x47) continue;
    const pusi = ((data[off + 1] ?? 0) & 0x40) !== 0;
    if (!pusi) continue;
    const afc = ((data[off + 3] ?? 0) >> 4) & 0x03;
    let payload = off + 4;
    let rai = false;
    if (afc & 0x02) {
      const len = data[off + 4] ?? 0;
      if (len > 0) rai = ((data[off + 5] ?? 0) & 0x40) !== 0;
      payload += 1 + len;
    }
    if (!(afc & 0x01) || payload >= off + PACKET) continue;
    const pts = pesPts(data, payload);
    if (pts === null) continue;
    first = Math.min(first, pts);
    if (rai) keyPts.push(pts);
  }
  return keyPts.map((p) => (p - first) / 90_000);
}

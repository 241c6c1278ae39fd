/**
 * Just enough of ISO-BMFF to relay ffmpeg's fragmented MP4 to browsers: split the byte stream
 * into top-level boxes, tell the init segment (ftyp+moov) from media fragments (moof+mdat), find
 * the fragments that start on a keyframe (a late viewer starts there), and read the codec string
 * Media Source Extensions need before the first append.
 */

export interface Mp4Box {
  readonly type: string;
  /** The whole box, header included. */
  readonly bytes: Buffer;
}

/** Splits a stream into whole top-level boxes, whatever the chunk boundaries. */
export class BoxSplitter {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Mp4Box[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Mp4Box[] = [];
    let at = 0;
    for (;;) {
      const size = boxSize(this.pending, at);
      if (size === null || at + size > this.pending.length) break;
      out.push({
        type: this.pending.toString('latin1', at + 4, at + 8),
        bytes: this.pending.subarray(at, at + size),
      });
      at += size;
    }
    this.pending = this.pending.subarray(at);
    return out;
  }

  /** Bytes held waiting for the rest of a box. */
  get buffered(): number {
    return this.pending.length;
  }
}

/** Size of the box at `at`, or null until its header is complete. A size below 8 is corrupt. */
function boxSize(b: Buffer, at: number): number | null {
  if (b.length - at < 8) return null;
  const size = b.readUInt32BE(at);
  if (size === 1) {
    if (b.length - at < 16) return null;
    return Number(b.readBigUInt64BE(at + 8));
  }
  if (size < 8) throw new Error(`corrupt MP4 box of size ${String(size)}`);
  return size;
}

/** The child boxes of a container box's payload (from `start` to the box's end). */
function children(box: Buffer, start = 8): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let at = start;
  while (at + 8 <= box.length) {
    const size = box.readUInt32BE(at);
    if (size < 8 || at + size > box.length) break;
    const type = box.toString('latin1', at + 4, at + 8);
    if (!out.has(type)) out.set(type, box.subarray(at, at + size));
    at += size;
  }
  return out;
}

const NON_SYNC = 0x10000;

/**
 * Whether a moof's first sample is a sync sample (keyframe): from trun's first-sample flags,
 * else its per-sample flags, else tfhd's defaults, else `fallback` (trex defaults).
 */
export function startsWithKeyframe(moof: Buffer, fallback = false): boolean {
  const traf = children(moof).get('traf');
  if (!traf) return fallback;
  const kids = children(traf);
  const trun = kids.get('trun');
  const tfhd = kids.get('tfhd');
  if (trun && trun.length >= 16) {
    const flags = trun.readUInt32BE(8) & 0xffffff;
    let at = 16;
    if (flags & 0x1) at += 4;
    if (flags & 0x4) return (trun.readUInt32BE(at) & NON_SYNC) === 0;
    if (flags & 0x400) {
      if (flags & 0x100) at += 4;
      if (flags & 0x200) at += 4;
      return (trun.readUInt32BE(at) & NON_SYNC) === 0;
    }
  }
  if (tfhd && tfhd.length >= 16) {
    const flags = tfhd.readUInt32BE(8) & 0xffffff;
    if (flags & 0x20) {
      let at = 16;
      if (flags & 0x1) at += 8;
      if (flags & 0x2) at += 4;
      if (flags & 0x8) at += 4;
      if (flags & 0x10) at += 4;
      return (tfhd.readUInt32BE(at) & NON_SYNC) === 0;
    }
  }
  return fallback;
}

/** `avc1.PPCCLL` from the avcC record in a moov (what MediaSource.addSourceBuffer asks for). */
export function avcCodecString(moov: Buffer): string | null {
  const at = moov.indexOf('avcC', 0, 'latin1');
  if (at < 0 || at + 8 > moov.length) return null;
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  return `avc1.${hex(moov[at + 5] ?? 0)}${hex(moov[at + 6] ?? 0)}${hex(moov[at + 7] ?? 0)}`;
}

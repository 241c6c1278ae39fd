/**
 * Just enough MPEG-TS to let a viewer join a running MPEG-1 feed: whole 188-byte packets only,
 * and where a picture group starts (the packet whose payload holds a sequence header), so a late
 * viewer starts there with the newest program tables in front of it.
 */
export const TS_PACKET = 188;
const SEQUENCE_HEADER = Buffer.from([0, 0, 1, 0xb3]);

/** Cuts a byte stream into runs of whole packets (a pipe read may end mid-packet). */
export class TsAligner {
  private rest: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer {
    const all = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]);
    const whole = all.length - (all.length % TS_PACKET);
    this.rest = Buffer.from(all.subarray(whole));
    return all.subarray(0, whole);
  }
}

export function packetPid(packet: Buffer): number {
  return ((packet[1] ?? 0) & 0x1f) * 256 + (packet[2] ?? 0);
}

/** Whether a packet starts a payload unit (PES or section). */
function startsUnit(packet: Buffer): boolean {
  return ((packet[1] ?? 0) & 0x40) !== 0;
}

/** Offset of the first packet in `packets` that starts a picture group, or -1. */
export function groupStart(packets: Buffer): number {
  for (let at = 0; at + TS_PACKET <= packets.length; at += TS_PACKET) {
    const p = packets.subarray(at, at + TS_PACKET);
    if (p[0] === 0x47 && startsUnit(p) && p.includes(SEQUENCE_HEADER)) return at;
  }
  return -1;
}

/** PIDs of the program tables ffmpeg writes (PAT, and its default PMT PID). */
export const TABLE_PIDS = new Set([0x0000, 0x1000]);

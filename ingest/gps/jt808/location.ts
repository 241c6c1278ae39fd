import type { LoadState } from '../../../core/index.js';
import { bcdTimeToMs, msToBcdTime } from './bytes.js';

/**
 * 0x0200 location report and 0x0704 batch upload. The basic block is 28 bytes: alarm DWORD,
 * status DWORD, latitude and longitude DWORD (millionths of a degree, hemispheres in status
 * bits 2–3), altitude WORD (m), speed WORD (0.1 km/h), direction WORD (0–359), time BCD[6]
 * (GMT+8), followed by additional items (id BYTE, length BYTE, value).
 */
export const STATUS = {
  ACC: 1 << 0,
  FIX: 1 << 1,
  SOUTH: 1 << 2,
  WEST: 1 << 3,
  LOAD_SHIFT: 8,
  LOAD_MASK: 0b11 << 8,
} as const;

/** Status bits 8–9: 00 empty, 01 half, 10 reserved, 11 full. */
export function loadStateOf(status: number): LoadState | undefined {
  switch ((status & STATUS.LOAD_MASK) >>> STATUS.LOAD_SHIFT) {
    case 0:
      return 'empty';
    case 1:
      return 'half';
    case 3:
      return 'full';
    default:
      return undefined;
  }
}

export function loadStateBits(state: LoadState): number {
  return (state === 'empty' ? 0 : state === 'half' ? 1 : 3) << STATUS.LOAD_SHIFT;
}

export interface AdditionalItem {
  readonly id: number;
  readonly value: Buffer;
}

export interface Location {
  readonly alarm: number;
  readonly status: number;
  /** Signed degrees (south / west negative). */
  readonly lat: number;
  readonly lon: number;
  readonly altitudeM: number;
  readonly speedKmh: number;
  readonly headingDeg: number;
  readonly timeMs: number;
  readonly acc: boolean;
  readonly fix: boolean;
  readonly loadState?: LoadState;
  /** 0x01, in km. */
  readonly mileageKm?: number;
  /** 0x30 wireless signal strength. */
  readonly signal?: number;
  /** 0x31 GNSS satellites in view. */
  readonly satellites?: number;
  /** Every item we do not interpret, kept byte for byte. */
  readonly extra: readonly AdditionalItem[];
}

export const LOCATION_BASE = 28;

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

export function decodeLocation(buf: Buffer): Decoded<Location> {
  if (buf.length < LOCATION_BASE) return { ok: false, reason: 'location shorter than 28 bytes' };
  const alarm = buf.readUInt32BE(0);
  const status = buf.readUInt32BE(4);
  const latRaw = buf.readUInt32BE(8) / 1e6;
  const lonRaw = buf.readUInt32BE(12) / 1e6;
  const timeMs = bcdTimeToMs(buf, 22);
  if (timeMs === null) return { ok: false, reason: 'location time is not a BCD time' };
  let mileageKm: number | undefined;
  let signal: number | undefined;
  let satellites: number | undefined;
  const extra: AdditionalItem[] = [];
  let o = LOCATION_BASE;
  while (o < buf.length) {
    if (o + 2 > buf.length) return { ok: false, reason: 'truncated additional item header' };
    const id = buf[o] as number;
    const len = buf[o + 1] as number;
    if (o + 2 + len > buf.length)
      return { ok: false, reason: `additional item 0x${id.toString(16)} overruns` };
    const v = buf.subarray(o + 2, o + 2 + len);
    if (id === 0x01 && len === 4) mileageKm = v.readUInt32BE(0) / 10;
    else if (id === 0x30 && len === 1) signal = v[0];
    else if (id === 0x31 && len === 1) satellites = v[0];
    else extra.push({ id, value: Buffer.from(v) });
    o += 2 + len;
  }
  const loadState = loadStateOf(status);
  return {
    ok: true,
    value: {
      alarm,
      status,
      lat: status & STATUS.SOUTH ? -latRaw : latRaw,
      lon: status & STATUS.WEST ? -lonRaw : lonRaw,
      altitudeM: buf.readInt16BE(16),
      speedKmh: buf.readUInt16BE(18) / 10,
      headingDeg: buf.readUInt16BE(20),
      timeMs,
      acc: (status & STATUS.ACC) !== 0,
      fix: (status & STATUS.FIX) !== 0,
      ...(loadState ? { loadState } : {}),
      ...(mileageKm !== undefined ? { mileageKm } : {}),
      ...(signal !== undefined ? { signal } : {}),
      ...(satellites !== undefined ? { satellites } : {}),
      extra,
    },
  };
}

export interface LocationInput {
  readonly alarm?: number;
  /** Status bits other than hemispheres (derived from the signs of lat/lon). */
  readonly status?: number;
  readonly lat: number;
  readonly lon: number;
  readonly altitudeM?: number;
  readonly speedKmh?: number;
  readonly headingDeg?: number;
  readonly timeMs: number;
  readonly mileageKm?: number;
  readonly signal?: number;
  readonly satellites?: number;
  readonly extra?: readonly AdditionalItem[];
}

export function encodeLocation(l: LocationInput): Buffer {
  const items: Buffer[] = [];
  if (l.mileageKm !== undefined) {
    const b = Buffer.from([0x01, 4, 0, 0, 0, 0]);
    b.writeUInt32BE(Math.round(l.mileageKm * 10), 2);
    items.push(b);
  }
  if (l.signal !== undefined) items.push(Buffer.from([0x30, 1, l.signal]));
  if (l.satellites !== undefined) items.push(Buffer.from([0x31, 1, l.satellites]));
  for (const x of l.extra ?? []) items.push(Buffer.concat([Buffer.from([x.id, x.value.length]), x.value]));
  const base = Buffer.alloc(LOCATION_BASE);
  const status =
    ((l.status ?? 0) & ~(STATUS.SOUTH | STATUS.WEST)) |
    (l.lat < 0 ? STATUS.SOUTH : 0) |
    (l.lon < 0 ? STATUS.WEST : 0);
  base.writeUInt32BE((l.alarm ?? 0) >>> 0, 0);
  base.writeUInt32BE(status >>> 0, 4);
  base.writeUInt32BE(Math.round(Math.abs(l.lat) * 1e6), 8);
  base.writeUInt32BE(Math.round(Math.abs(l.lon) * 1e6), 12);
  base.writeInt16BE(Math.round(l.altitudeM ?? 0), 16);
  base.writeUInt16BE(Math.round((l.speedKmh ?? 0) * 10), 18);
  base.writeUInt16BE(Math.round(l.headingDeg ?? 0) % 360, 20);
  msToBcdTime(l.timeMs).copy(base, 22);
  return Buffer.concat([base, ...items]);
}

/** 0x0704 batch type: 0 = normal batch, 1 = blind-area backlog (补报). */
export interface LocationBatch {
  readonly type: 0 | 1;
  readonly items: readonly Location[];
}

export function decodeLocationBatch(buf: Buffer): Decoded<LocationBatch> {
  if (buf.length < 3) return { ok: false, reason: 'batch shorter than 3 bytes' };
  const count = buf.readUInt16BE(0);
  const type = buf[2] as number;
  if (type !== 0 && type !== 1) return { ok: false, reason: `batch type ${String(type)}` };
  const items: Location[] = [];
  let o = 3;
  for (let i = 0; i < count; i++) {
    if (o + 2 > buf.length) return { ok: false, reason: 'batch truncated' };
    const len = buf.readUInt16BE(o);
    if (o + 2 + len > buf.length) return { ok: false, reason: 'batch item overruns' };
    const loc = decodeLocation(buf.subarray(o + 2, o + 2 + len));
    if (!loc.ok) return loc;
    items.push(loc.value);
    o += 2 + len;
  }
  if (o !== buf.length) return { ok: false, reason: 'batch has trailing bytes' };
  return { ok: true, value: { type, items } };
}

export function encodeLocationBatch(type: 0 | 1, items: readonly LocationInput[]): Buffer {
  const parts = items.map((l) => {
    const body = encodeLocation(l);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(body.length);
    return Buffer.concat([len, body]);
  });
  const head = Buffer.alloc(3);
  head.writeUInt16BE(items.length, 0);
  head[2] = type;
  return Buffer.concat([head, ...parts]);
}

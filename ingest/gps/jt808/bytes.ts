import iconv from 'iconv-lite';

/**
 * Byte-level primitives of JT/T 808: framing escapes, the XOR check code, BCD digits and
 * times, GBK strings. Pure functions over Buffers; the frame and message codecs build on them.
 */
export const FLAG = 0x7e;
export const ESC = 0x7d;

/** Undo 0x7d 0x02 → 0x7e and 0x7d 0x01 → 0x7d. Returns null on a dangling or unknown escape. */
export function unescapeFrame(src: Buffer): Buffer | null {
  if (src.indexOf(ESC) < 0) return src;
  const out = Buffer.allocUnsafe(src.length);
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i] as number;
    if (b !== ESC) {
      out[o++] = b;
      continue;
    }
    const next = src[++i];
    if (next === 0x02) out[o++] = FLAG;
    else if (next === 0x01) out[o++] = ESC;
    else return null;
  }
  return out.subarray(0, o);
}

/** Escape 0x7e and 0x7d and wrap in flag bytes. */
export function escapeAndWrap(src: Buffer): Buffer {
  let extra = 0;
  for (const b of src) if (b === FLAG || b === ESC) extra++;
  const out = Buffer.allocUnsafe(src.length + extra + 2);
  let o = 0;
  out[o++] = FLAG;
  for (const b of src) {
    if (b === FLAG) {
      out[o++] = ESC;
      out[o++] = 0x02;
    } else if (b === ESC) {
      out[o++] = ESC;
      out[o++] = 0x01;
    } else out[o++] = b;
  }
  out[o] = FLAG;
  return out;
}

/** The check code: XOR of every byte from the header's first byte to the body's last. */
export function xorChecksum(buf: Buffer, start = 0, end = buf.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= buf[i] as number;
  return x;
}

/** BCD bytes → decimal digits; null when a nibble is not 0–9. */
export function bcdToDigits(buf: Buffer, start: number, length: number): string | null {
  let s = '';
  for (let i = start; i < start + length; i++) {
    const b = buf[i] as number;
    const hi = b >> 4;
    const lo = b & 0x0f;
    if (hi > 9 || lo > 9) return null;
    s += String(hi) + String(lo);
  }
  return s;
}

/** Decimal digits → BCD bytes, left-padded with zeros to `length` bytes. */
export function digitsToBcd(digits: string, length: number): Buffer {
  if (!/^\d*$/.test(digits) || digits.length > length * 2) {
    throw new RangeError(`not ${String(length * 2)} BCD digits: ${digits}`);
  }
  const padded = digits.padStart(length * 2, '0');
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    out[i] = (Number(padded[2 * i]) << 4) | Number(padded[2 * i + 1]);
  }
  return out;
}

const GMT8_MS = 8 * 3600_000;

/** BCD[6] YYMMDDhhmmss in GMT+8 (the standard's time zone) → epoch ms; null when not a real time. */
export function bcdTimeToMs(buf: Buffer, start: number): number | null {
  const d = bcdToDigits(buf, start, 6);
  if (d === null) return null;
  const [yy, mo, dd, hh, mi, ss] = [0, 2, 4, 6, 8, 10].map((i) => Number(d.slice(i, i + 2))) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 59) return null;
  const ms = Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss) - GMT8_MS;
  // Date.UTC rolls 31 Feb over into March: refuse such dates instead of shifting them.
  if (new Date(ms + GMT8_MS).getUTCDate() !== dd) return null;
  return ms;
}

/** Epoch ms → BCD[6] YYMMDDhhmmss in GMT+8. */
export function msToBcdTime(ms: number): Buffer {
  const d = new Date(ms + GMT8_MS);
  const two = (n: number): string => String(n).padStart(2, '0');
  const digits =
    two(d.getUTCFullYear() % 100) +
    two(d.getUTCMonth() + 1) +
    two(d.getUTCDate()) +
    two(d.getUTCHours()) +
    two(d.getUTCMinutes()) +
    two(d.getUTCSeconds());
  return digitsToBcd(digits, 6);
}

/** GBK bytes → string, stopping at the first NUL (fixed-width fields are NUL- or zero-padded). */
export function gbkDecode(buf: Buffer): string {
  const nul = buf.indexOf(0);
  return iconv.decode(nul >= 0 ? buf.subarray(0, nul) : buf, 'gbk');
}

export function gbkEncode(s: string): Buffer {
  return iconv.encode(s, 'gbk');
}

/** A fixed-width field: GBK/ASCII text right-padded with NULs (truncated if too long). */
export function fixedField(s: string, length: number): Buffer {
  const out = Buffer.alloc(length);
  gbkEncode(s).copy(out, 0, 0, length);
  return out;
}

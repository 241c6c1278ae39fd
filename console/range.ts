import { MuckError } from '../core/index.js';

/**
 * Parse a single HTTP byte range (RFC 9110 §14.1.2) against a file size. Multi-range requests
 * are answered with the whole file (null), which browsers' media players never ask for anyway.
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, a = '', b = ''] = m;
  let start: number;
  let end: number;
  if (a === '' && b === '') return null;
  if (a === '') {
    // Suffix range: the last N bytes.
    const n = Number(b);
    if (n === 0)
      throw new MuckError('MW_RANGE_NOT_SATISFIABLE', `Empty suffix range; the file has ${size} bytes.`);
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (start >= size || start > end)
    throw new MuckError('MW_RANGE_NOT_SATISFIABLE', `Range ${header} is outside the file (${size} bytes).`);
  return { start, end };
}

import { describe, expect, it } from 'vitest';
import { splitCredentials } from './camera-input.js';
import { changedFields } from './changes.js';
import { parseCsv } from './csv.js';
import { hoursToSchedule, scheduleToHours } from './fleet-spec.js';
import { looksProjected, selfIntersection, wrongCrs } from './geometry-checks.js';

describe('admin pure helpers', () => {
  it('parses CSV with quotes, doubled quotes, CRLF, a BOM and a quoted newline, keeping line numbers', () => {
    const rows = parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n"multi\nline",z\n\n3,4');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 3, cells: ['multi\nline', 'z'] },
      { line: 6, cells: ['3', '4'] },
    ]);
  });

  it('finds a crossing ring and accepts simple ones, closed or not', () => {
    expect(
      selfIntersection([
        [0, 0],
        [2, 2],
        [2, 0],
        [0, 2],
      ]),
    ).toEqual([0, 2]);
    expect(
      selfIntersection([
        [0, 0],
        [2, 0],
        [2, 2],
        [0, 2],
        [0, 0],
      ]),
    ).toBeNull();
    expect(
      selfIntersection([
        [0, 0],
        [4, 0],
        [4, 4],
        [2, 1],
        [0, 4],
      ]),
    ).toBeNull();
    // A ring that touches itself at a vertex is not simple either.
    expect(
      selfIntersection([
        [0, 0],
        [4, 0],
        [2, 2],
        [4, 4],
        [0, 4],
        [2, 2],
      ]),
    ).not.toBeNull();
  });

  it('tells lon/lat from projected metres and reads legacy crs members', () => {
    expect(looksProjected([[[116.3, 39.9]]])).toBe(false);
    expect(looksProjected([[[500000, 4420000]]])).toBe(true);
    expect(wrongCrs(undefined)).toBeNull();
    expect(wrongCrs({ type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } })).toBeNull();
    expect(wrongCrs({ type: 'name', properties: { name: 'EPSG:3857' } })).toBe('EPSG:3857');
  });

  it('round-trips permitted hours and names a bad window', () => {
    const s = hoursToSchedule('22:00-06:00;12:00 - 13:00');
    expect(s).toEqual({
      tz: 'Asia/Shanghai',
      windows: [
        { from: '22:00', to: '06:00' },
        { from: '12:00', to: '13:00' },
      ],
    });
    expect(scheduleToHours(typeof s === 'string' ? null : s)).toBe('22:00-06:00;12:00-13:00');
    expect(hoursToSchedule('night')).toMatch(/"night" is not a time window/);
  });

  it('lists changed fields only, and lifts credentials out of a URL', () => {
    expect(changedFields({ a: 1, b: [1] }, { a: 1, b: [2], c: null })).toEqual({
      b: { before: [1], after: [2] },
    });
    expect(splitCredentials('rtsp://u%40x:p%3Aw@10.0.0.1/s')).toEqual({
      url: 'rtsp://10.0.0.1/s',
      credentials: { user: 'u@x', pass: 'p:w' },
    });
    expect(() => splitCredentials('rtsp://a:secret@[bad')).toThrow(/\*\*\*@/);
  });
});

import { describe, expect, it } from 'vitest';
import { isMuckError, type MuckError } from '../core/index.js';
import { zonesFromGeoJSON, zonesToGeoJSON } from './geojson.js';
import { isWithin } from './schedule.js';
import { TEST_ZONES, square, zone } from './test-world.js';
import { ZoneIndex } from './zones.js';

describe('ZoneIndex', () => {
  const idx = new ZoneIndex(TEST_ZONES);
  it('finds every zone containing a point, corridors included', () => {
    expect(idx.at(120.05, 30.05, 0).map((z) => z.code)).toEqual(['HOME', 'CS1', 'R1']);
    expect(idx.at(120.3, 30.1, 0).map((z) => z.code)).toEqual(['NEXT', 'DS_NEXT']);
    expect(idx.at(120.07, 30.0502, 0).map((z) => z.code)).toEqual(['HOME', 'R1']); // 22 m off the line, width 60 → inside
    expect(idx.at(120.07, 30.0504, 0).map((z) => z.code)).toEqual(['HOME']); // 44 m off → outside
    expect(idx.at(120.07, 30.052, 0).map((z) => z.code)).toEqual(['HOME']);
    expect(idx.at(121, 31, 0)).toEqual([]);
  });

  it('respects holes and schedules', () => {
    const holed = zone(10, 'H', 'restricted', [[...square([1, 1], 1), ...square([1, 1], 0.2)]]);
    const night = zone(11, 'N', 'no_vending', [square([1, 1], 1)], {
      schedule: { tz: 'Asia/Shanghai', windows: [{ from: '07:00', to: '19:00' }] },
    });
    const i = new ZoneIndex([holed, night]);
    const noonShanghai = Date.parse('2026-03-02T04:00:00Z');
    const midnightShanghai = Date.parse('2026-03-02T16:00:00Z');
    expect(i.at(1, 1, noonShanghai).map((z) => z.code)).toEqual(['N']);
    expect(i.at(1.5, 1.5, noonShanghai).map((z) => z.code)).toEqual(['H', 'N']);
    expect(i.at(1.5, 1.5, midnightShanghai).map((z) => z.code)).toEqual(['H']);
  });
});

describe('schedules (Asia/Shanghai, event time)', () => {
  it('weekday windows and windows past midnight', () => {
    const weekdays = {
      tz: 'Asia/Shanghai',
      windows: [{ days: [1, 2, 3, 4, 5], from: '07:00', to: '19:00' }],
    };
    expect(isWithin(weekdays, Date.parse('2026-03-02T00:00:00Z'))).toBe(true); // Mon 08:00
    expect(isWithin(weekdays, Date.parse('2026-03-07T00:00:00Z'))).toBe(false); // Sat 08:00
    const night = { tz: 'Asia/Shanghai', windows: [{ days: [5], from: '22:00', to: '06:00' }] };
    expect(isWithin(night, Date.parse('2026-03-06T15:00:00Z'))).toBe(true); // Fri 23:00
    expect(isWithin(night, Date.parse('2026-03-06T20:00:00Z'))).toBe(true); // Sat 04:00, Friday's window
    expect(isWithin(night, Date.parse('2026-03-07T15:00:00Z'))).toBe(false); // Sat 23:00
  });

  it('named zones with daylight saving go through Intl', () => {
    const ny = { tz: 'America/New_York', windows: [{ from: '09:00', to: '17:00' }] };
    expect(isWithin(ny, Date.parse('2026-07-01T14:00:00Z'))).toBe(true); // 10:00 EDT
    expect(isWithin(ny, Date.parse('2026-01-05T21:30:00Z'))).toBe(true); // 16:30 EST
    expect(isWithin(ny, Date.parse('2026-07-01T21:30:00Z'))).toBe(false); // 17:30 EDT
  });
});

describe('GeoJSON import/export', () => {
  it('round-trips zones', () => {
    const zones = TEST_ZONES.map(({ id: _id, ...z }) => z);
    const back = zonesFromGeoJSON(JSON.parse(JSON.stringify(zonesToGeoJSON(zones))));
    expect(back).toEqual(zones);
  });

  it('lists every problem, naming the feature', () => {
    const doc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: 'A', kind: 'construction_site' },
          geometry: { type: 'Point', coordinates: [1, 2] },
        },
        {
          type: 'Feature',
          properties: { code: 'B', kind: 'approved_route' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [1, 2],
              [1, 3],
            ],
          },
        },
        {
          type: 'Feature',
          properties: { kind: 'lake' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 0],
                [1, 1],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          properties: {
            code: 'A',
            kind: 'restricted',
            schedule: { windows: [{ from: '25:00', to: '06:00' }] },
          },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 0],
              ],
            ],
          },
        },
      ],
    };
    let err: MuckError | undefined;
    try {
      zonesFromGeoJSON(doc);
    } catch (e) {
      if (isMuckError(e)) err = e;
    }
    expect(err?.code).toBe('MW_ZONE_INVALID');
    const details = err?.details.join('\n') ?? '';
    expect(details).toContain('feature #0 (code A): geometry type Point is not allowed');
    expect(details).toContain('feature #1 (code B): properties.width_m must be a positive number');
    expect(details).toContain('feature #2: properties.code is required');
    expect(details).toContain('feature #2: properties.kind must be one of');
    expect(details).toContain('feature #2: ring 0: a ring needs at least 4 positions');
    expect(details).toContain('feature #3 (code A): properties.code "A" is used by an earlier feature');
    expect(details).toContain('feature #3 (code A): schedule.windows[0].from must be "HH:MM"');
  });
});

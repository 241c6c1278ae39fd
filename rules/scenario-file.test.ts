import { describe, expect, it } from 'vitest';
import { buildTruck, expectedOf, parseRulesScenario } from './scenario-file.js';

const FILE = `
id: demo
title: one truck
startLocal: '10:00'
trucks:
  - id: T1
    at: SITE
    legs:
      - { stay: 60 }
      - { drive: [[120.01, 30]], kmh: 36 }
      - { gap: 100 }
expect:
  - { type: unpermitted_stop, truck: T1, leg: 1, plusS: 30, zone: HOME }
`;

describe('rules scenario files', () => {
  it('builds a truck from its legs and places the expectation in time', () => {
    const sc = parseRulesScenario(FILE, 'demo.yaml');
    const t = buildTruck(sc.trucks[0] as (typeof sc.trucks)[number], 7, 1000, 10, () => [120, 30]);
    expect(t.legStarts).toEqual([1000, 61_000, t.fixes.at(-2)?.t]);
    expect(t.fixes.slice(0, 6).map((f) => f.lon)).toEqual([120, 120, 120, 120, 120, 120]);
    expect(t.fixes.at(-1)?.t).toBe((t.fixes.at(-2)?.t ?? 0) + 100_000); // the fix after the gap
    expect(t.fixes.every((f) => f.vehicleId === 7)).toBe(true);
    expect(expectedOf(sc, new Map([['T1', { vehicleId: 7, legStarts: t.legStarts }]]))).toEqual([
      { type: 'unpermitted_stop', vehicleId: 7, at: 91_000, zone: 'HOME' },
    ]);
  });

  it('refuses a malformed file naming each problem, and expectations of unknown trucks or legs', () => {
    expect(() => parseRulesScenario(FILE.replace('kmh: 36', 'kmh: -1'), 'bad.yaml')).toThrow(
      /bad\.yaml is invalid/,
    );
    const err = ((): unknown => {
      try {
        return parseRulesScenario(FILE.replace('{ stay: 60 }', '{ stay: 60, fly: 1 }'), 'bad.yaml');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toMatchObject({ code: 'MW_VALIDATION' });
    expect((err as { details: string[] }).details.join()).toMatch(/trucks\.0\.legs\.0/);
    expect(() => parseRulesScenario(FILE.replace('truck: T1', 'truck: T9'), 'x.yaml')).toThrow(
      /unknown trucks/,
    );
    expect(() => parseRulesScenario(FILE.replace('leg: 1', 'leg: 3'), 'x.yaml')).toThrow(
      /unknown trucks or legs/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { GpsPoint } from './point.js';
import { byDevice } from './writer.js';

const pt = (deviceId: string, t: number): GpsPoint => ({
  deviceId,
  fixTimeMs: t,
  receivedMs: t,
  lon: 114,
  lat: 22,
  alarmBits: 0,
  statusBits: 0,
  source: 'jt808',
  valid: true,
  backlog: false,
  extra: {},
});

describe('writer lanes', () => {
  const devices = Array.from({ length: 40 }, (_, i) => `1390000${String(i).padStart(4, '0')}`);
  const points = devices.flatMap((d) => [0, 1, 2].map((t) => pt(d, t)));
  const rejected = [{ point: pt(devices[3] as string, 9), reason: 'duplicate' as const }];

  it('puts every device in exactly one part, its points in their order, nothing lost', () => {
    const parts = byDevice(points, rejected, 2);
    expect(parts).toHaveLength(2);
    expect(parts.reduce((n, p) => n + p.points.length, 0)).toBe(points.length);
    const laneOf = new Map<string, number>();
    parts.forEach((part, lane) => {
      for (const p of part.points) {
        expect(laneOf.get(p.deviceId) ?? lane).toBe(lane);
        laneOf.set(p.deviceId, lane);
      }
      for (const d of new Set(part.points.map((p) => p.deviceId)))
        expect(part.points.filter((p) => p.deviceId === d).map((p) => p.fixTimeMs)).toEqual([0, 1, 2]);
    });
    // A quarantined point goes with its device (one transaction per device's batch share).
    const withRejected = parts.find((p) => p.rejected.length > 0);
    expect(withRejected?.points.some((p) => p.deviceId === devices[3])).toBe(true);
  });

  it('is the same split every time (a device never changes part) and one part for one lane', () => {
    const again = byDevice([...points].reverse(), [], 2).map((p) => new Set(p.points.map((x) => x.deviceId)));
    const first = byDevice(points, [], 2).map((p) => new Set(p.points.map((x) => x.deviceId)));
    expect(new Set(again.map((s) => [...s].sort().join()))).toEqual(
      new Set(first.map((s) => [...s].sort().join())),
    );
    expect(byDevice(points, rejected, 1)).toEqual([{ points, rejected }]);
    expect(byDevice([], [], 4)).toEqual([]);
  });
});

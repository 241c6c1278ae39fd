import { describe, expect, it } from 'vitest';
import { GPS_POINTS_PER_JOB, QUEUE_NAMES, clipQueueFor, parsePayload } from './catalog.js';

describe('queue catalog', () => {
  const point = {
    deviceId: '013912345678',
    fixTime: '2026-11-27T08:00:00+08:00',
    lon: 114.05,
    lat: 22.54,
    source: 'jt808',
  };

  it('accepts a job of well-formed GPS points and fills defaults', () => {
    const r = parsePayload('gps-points', {
      points: [point, { ...point, fixTime: '2026-11-27T08:00:10+08:00' }],
    });
    expect(r.ok && r.value.points.map((p) => p.statusBits)).toEqual([0, 0]);
  });

  it('explains what is wrong with a malformed point, field by field', () => {
    const r = parsePayload('gps-points', {
      points: [point, { deviceId: '', fixTime: 'yesterday', lon: 200, lat: 22, source: 'fax' }],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      for (const field of ['deviceId', 'fixTime', 'lon', 'source'])
        expect(r.reason).toContain(`points.1.${field}`);
    }
  });

  it('refuses a GPS job without points or with more than a job may carry', () => {
    expect(parsePayload('gps-points', { points: [] }).ok).toBe(false);
    expect(parsePayload('gps-points', point).ok).toBe(false);
    const many = Array.from({ length: GPS_POINTS_PER_JOB + 1 }, () => point);
    expect(parsePayload('gps-points', { points: many }).ok).toBe(false);
    expect(parsePayload('gps-points', { points: many.slice(1) }).ok).toBe(true);
  });

  it('routes clip jobs per node with BullMQ-safe names', () => {
    expect(clipQueueFor('node:a/1')).toBe('clips.node_a_1');
    expect(clipQueueFor('node:a/1')).not.toContain(':');
  });

  it('names are unique and BullMQ-safe', () => {
    expect(new Set(QUEUE_NAMES).size).toBe(QUEUE_NAMES.length);
    for (const n of QUEUE_NAMES) expect(n).not.toContain(':');
  });
});

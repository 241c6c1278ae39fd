import { describe, expect, it } from 'vitest';
import { QUEUE_NAMES, clipQueueFor, parsePayload } from './catalog.js';

describe('queue catalog', () => {
  it('accepts a well-formed GPS point and fills defaults', () => {
    const r = parsePayload('gps-points', {
      deviceId: '013912345678',
      fixTime: '2026-11-27T08:00:00+08:00',
      lon: 114.05,
      lat: 22.54,
      source: 'jt808',
    });
    expect(r.ok && r.value.statusBits).toBe(0);
  });

  it('explains what is wrong with a malformed payload, field by field', () => {
    const r = parsePayload('gps-points', {
      deviceId: '',
      fixTime: 'yesterday',
      lon: 200,
      lat: 22,
      source: 'fax',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      for (const field of ['deviceId', 'fixTime', 'lon', 'source']) expect(r.reason).toContain(field);
    }
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

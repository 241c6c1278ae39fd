import { describe, expect, it } from 'vitest';
import { GPS_POINTS_PER_JOB, parsePayload, type GpsPointPayload } from '../../core/index.js';
import { pointJobs } from './publisher.js';

const point = (deviceId: string, s: number): GpsPointPayload => ({
  deviceId,
  fixTime: new Date(Date.UTC(2026, 10, 27, 0, 0, s)).toISOString(),
  lon: 114,
  lat: 22,
  statusBits: 0,
  alarmBits: 0,
  source: 'http',
});

describe('gps-points jobs', () => {
  it('carries the points in their order, at most GPS_POINTS_PER_JOB a job, each job valid for its queue', () => {
    const points = Array.from({ length: GPS_POINTS_PER_JOB * 2 + 7 }, (_, i) =>
      point(`d${String(i % 3)}`, i),
    );
    const jobs = pointJobs(points);
    expect(jobs.map((j) => j.data.points.length)).toEqual([GPS_POINTS_PER_JOB, GPS_POINTS_PER_JOB, 7]);
    expect(jobs.flatMap((j) => j.data.points)).toEqual(points);
    for (const j of jobs) expect(parsePayload('gps-points', j.data).ok).toBe(true);
    expect(new Set(jobs.map((j) => j.opts.jobId)).size).toBe(3);
  });

  it('names a job by its first point, the same on a retry, without the ":" BullMQ refuses', () => {
    const [a] = pointJobs([point('plate:粤B1', 5), point('x', 6)]);
    const [b] = pointJobs([point('plate:粤B1', 5), point('x', 6)]);
    expect(a?.opts.jobId).toBe(b?.opts.jobId);
    expect(a?.opts.jobId).not.toContain(':');
    expect(a?.opts.jobId).not.toMatch(/^\d+$/);
  });
});

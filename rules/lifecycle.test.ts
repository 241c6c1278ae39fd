import { describe, expect, it } from 'vitest';
import { isMuckError } from '../core/index.js';
import { canonicalIncident, foldDrafts, mergeDrafts, type IncidentDraft } from './incidents.js';
import { foldDetections, loadFromStatusBits, toFix, type DetectionFold } from './inputs.js';
import { DEFAULT_SLA, planTransition } from './lifecycle.js';
import { diffCanonical, progressBar } from './replay.js';

describe('incident lifecycle', () => {
  const sla = DEFAULT_SLA.cross_border_dumping;
  const at = Date.parse('2026-03-02T02:00:00Z');
  it('each step sets its column and the next deadline; rework counts', () => {
    const reg = planTransition(
      { status: 'reported', reworkCount: 0, slaDueAt: at + 1 },
      { to: 'registered', at, actor: 'op', actorId: 3, note: null },
      sla,
    );
    expect(reg).toMatchObject({ column: 'registered_at', dueAt: at + sla.dispatchS * 1000, late: false });
    const rw = planTransition(
      { status: 'handled', reworkCount: 1, slaDueAt: at - 1 },
      { to: 'rework', at, actor: 'aud', actorId: null, note: 'pile still there' },
      sla,
    );
    expect(rw).toMatchObject({ column: null, reworkCount: 2, late: true, dueAt: at + sla.dispatchS * 1000 });
    const closed = planTransition(
      { status: 'verified', reworkCount: 0, slaDueAt: null },
      { to: 'closed', at, actor: 'op', actorId: null, note: null },
      sla,
    );
    expect(closed.dueAt).toBeNull();
  });

  it('refuses a skipped step, naming the allowed ones, and a step without an actor', () => {
    const attempt = (fn: () => unknown): string => {
      try {
        fn();
        return 'no error';
      } catch (e) {
        return isMuckError(e) ? `${e.code}: ${e.message}` : String(e);
      }
    };
    expect(
      attempt(() =>
        planTransition(
          { status: 'reported', reworkCount: 0, slaDueAt: null },
          { to: 'handled', at, actor: 'op', actorId: null, note: null },
          sla,
        ),
      ),
    ).toBe(
      'MW_INCIDENT_TRANSITION: An incident that is reported cannot become handled; it can become registered or closed.',
    );
    expect(
      attempt(() =>
        planTransition(
          { status: 'closed', reworkCount: 0, slaDueAt: null },
          { to: 'registered', at, actor: 'op', actorId: null, note: null },
          sla,
        ),
      ),
    ).toContain('it is closed');
    expect(
      attempt(() =>
        planTransition(
          { status: 'reported', reworkCount: 0, slaDueAt: null },
          { to: 'registered', at, actor: ' ', actorId: null, note: null },
          sla,
        ),
      ),
    ).toContain('MW_VALIDATION');
  });
});

describe('incident merge', () => {
  const base: IncidentDraft = {
    dedupeKey: 'stop:v1:x',
    type: 'dumping',
    cameraId: 7,
    jurisdictionCode: null,
    location: [120.08, 30.05],
    startedAt: 1000,
    endedAt: null,
    explanation: { camera: { a: 1 } },
    vehicles: [
      { vehicleId: 2, confidence: 0.4, reason: 'near' },
      { vehicleId: 1, confidence: 0.6, reason: 'in view' },
    ],
  };
  const gps: IncidentDraft = {
    ...base,
    type: 'unpermitted_stop',
    cameraId: null,
    jurisdictionCode: 'HOME',
    location: [120.0801, 30.0501],
    startedAt: 500,
    endedAt: 9000,
    explanation: { gps: { b: 2 } },
    vehicles: [{ vehicleId: 1, confidence: 1, reason: 'own track' }],
  };
  it('the GPS rule names the case; camera, times, explanations and vehicles are combined', () => {
    const m = mergeDrafts(base, gps);
    expect(m).toMatchObject({
      type: 'unpermitted_stop',
      cameraId: 7,
      jurisdictionCode: 'HOME',
      location: [120.0801, 30.0501],
      startedAt: 500,
      endedAt: 9000,
    });
    expect(Object.keys(m.explanation)).toEqual(['camera', 'gps']);
    expect(m.vehicles).toEqual([
      { vehicleId: 1, confidence: 1, reason: 'own track' },
      { vehicleId: 2, confidence: 0.4, reason: 'near' },
    ]);
  });
  it('folding the same draft twice changes nothing (exactly once)', () => {
    const once = new Map<string, IncidentDraft>();
    foldDrafts(once, [base, gps]);
    const twice = new Map<string, IncidentDraft>();
    foldDrafts(twice, [base, gps, base, gps]);
    expect([...twice.values()].map(canonicalIncident)).toEqual([...once.values()].map(canonicalIncident));
  });
});

describe('inputs', () => {
  it('reads the JT/T 808 load bits only from vehicles with a sensor', () => {
    expect([0, 0x100, 0x200, 0x300].map(loadFromStatusBits)).toEqual(['empty', 'half', null, 'full']);
    const p = {
      vehicleId: 1,
      fixTime: 0,
      lon: 120,
      lat: 30,
      speedKmh: 43.712,
      headingDeg: 90.04,
      statusBits: 0x300,
      loadState: null,
      source: 'jt808' as const,
    };
    expect(toFix(p, true)).toMatchObject({ sensorLoad: 'full', speedKmh: 43.7, headingDeg: 90 });
    expect(toFix(p, false).sensorLoad).toBeNull();
    // The gateway decodes bits 8–9 into loadState for every JT/T 808 point: 'empty' is also what a
    // terminal without a sensor sends, so it is ignored unless the vehicle has one.
    expect(toFix({ ...p, statusBits: 0, loadState: 'empty' }, false).sensorLoad).toBeNull();
    expect(toFix({ ...p, statusBits: 0, loadState: 'empty' }, true).sensorLoad).toBe('empty');
    expect(toFix({ ...p, source: 'http', loadState: 'half' }, false).sensorLoad).toBe('half');
  });

  it('folds per-frame detections into one observation per track', () => {
    const fold: DetectionFold = new Map();
    const frame = (t: string, trackId: number, cls = 'dust') => ({
      cameraId: 7,
      frameTime: t,
      frameSeq: 1,
      model: 'm',
      objects: [
        { cls, confidence: 0.8, box: { x: 0, y: 0, w: 1, h: 1 }, trackId },
        { cls: 'car', confidence: 0.9, box: { x: 0, y: 0, w: 1, h: 1 } },
      ],
    });
    const seen = [
      ...foldDetections(fold, frame('2026-03-02T00:00:00Z', 4)),
      ...foldDetections(fold, frame('2026-03-02T00:00:00.200Z', 4)),
      ...foldDetections(fold, frame('2026-03-02T00:00:00.200Z', 5)),
      ...foldDetections(fold, frame('2026-03-02T00:05:00Z', 4)), // after a long gap: a new sighting
    ];
    expect(
      seen.map((o) => `${o.type}:${o.trackIds.join()}@${new Date(o.t).toISOString().slice(11, 23)}`),
    ).toEqual(['dust:4@00:00:00.000', 'dust:5@00:00:00.200', 'dust:4@00:05:00.000']);
  });
});

describe('replay helpers', () => {
  it('progress bar and diff', () => {
    expect(progressBar(50, 200, 10, 10)).toBe('[###.......] 25.0% 50/200 points, 5/s, ETA 30s');
    expect(diffCanonical(['a', 'b'], ['b', 'c'])).toEqual(['+ replay  a', '- stored  c']);
  });
});

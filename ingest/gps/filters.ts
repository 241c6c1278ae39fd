import { distanceM, type GpsPoint } from './point.js';

/**
 * Point filters, before storage. No clock and no I/O: the caller passes `nowMs`, so a test
 * (or a replay) gets the same verdicts every time. Rejected points are returned with a reason;
 * the caller quarantines them, never drops them.
 */
export const REJECT_REASONS = [
  'invalid_fix',
  'zero_coordinates',
  'out_of_range',
  'duplicate',
  'out_of_order',
  'future',
  'too_old',
  'impossible_jump',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface FilterSettings {
  /** A point this much older than the device's newest is still accepted (and put in order). */
  readonly reorderToleranceMs: number;
  /** Fix times this far ahead of the receive clock are accepted (terminal clocks drift). */
  readonly futureToleranceMs: number;
  readonly maxAgeMs: number;
  /** Implied speed between consecutive fixes above which the later fix is a jump. */
  readonly maxSpeedKmh: number;
  /** Movements shorter than this are never jumps (GPS noise over short intervals). */
  readonly jumpMinDistanceM: number;
  /** After this many rejected jumps that agree with one another, the track re-anchors on them. */
  readonly jumpReanchorCount: number;
}

export interface Rejected {
  readonly point: GpsPoint;
  readonly reason: RejectReason;
  readonly detail?: string;
}

export interface Screened {
  readonly accepted: GpsPoint[];
  readonly rejected: Rejected[];
  /** Device state before this batch, for `undo` when the batch cannot be stored after all. */
  readonly before: ReadonlyMap<string, { newest: Anchor | null; jump: DeviceState['jump'] }>;
}

interface Anchor {
  readonly t: number;
  readonly lon: number;
  readonly lat: number;
}

interface DeviceState {
  newest: Anchor | null;
  /** Recent fix times, insertion-ordered and bounded (duplicates beyond it are caught by the database key). */
  readonly seen: Set<number>;
  jump: { anchor: Anchor; count: number } | null;
}

const SEEN_LIMIT = 512;

export class PointFilter {
  private readonly devices = new Map<string, DeviceState>();

  constructor(private readonly s: FilterSettings) {}

  /** Screen a batch (processed in fix-time order); updates per-device state for accepted points. */
  screen(points: readonly GpsPoint[], nowMs: number): Screened {
    const before = new Map<string, { newest: Anchor | null; jump: DeviceState['jump'] }>();
    const out: Screened = { accepted: [], rejected: [], before };
    const ordered = [...points].sort((a, b) => a.fixTimeMs - b.fixTimeMs);
    for (const p of ordered) {
      if (!before.has(p.deviceId)) {
        const d = this.device(p.deviceId);
        before.set(p.deviceId, { newest: d.newest, jump: d.jump });
      }
      const verdict = this.check(p, nowMs);
      if (verdict) out.rejected.push({ point: p, ...verdict });
      else out.accepted.push(p);
    }
    return out;
  }

  private check(p: GpsPoint, nowMs: number): { reason: RejectReason; detail?: string } | null {
    if (!p.valid) return { reason: 'invalid_fix' };
    if (!Number.isFinite(p.lon) || !Number.isFinite(p.lat) || Math.abs(p.lon) > 180 || Math.abs(p.lat) > 90) {
      return { reason: 'out_of_range' };
    }
    if (Math.abs(p.lon) < 1e-6 && Math.abs(p.lat) < 1e-6) return { reason: 'zero_coordinates' };
    if (p.fixTimeMs > nowMs + this.s.futureToleranceMs) {
      return { reason: 'future', detail: `${String(Math.round((p.fixTimeMs - nowMs) / 1000))} s ahead` };
    }
    if (p.fixTimeMs < nowMs - this.s.maxAgeMs) return { reason: 'too_old' };
    const d = this.device(p.deviceId);
    if (d.seen.has(p.fixTimeMs)) return { reason: 'duplicate' };
    const here: Anchor = { t: p.fixTimeMs, lon: p.lon, lat: p.lat };
    // Blind-area backlog fills a gap in the past: ordering and jump checks against the live
    // track do not apply to it.
    if (!p.backlog && d.newest) {
      if (p.fixTimeMs < d.newest.t - this.s.reorderToleranceMs) {
        return {
          reason: 'out_of_order',
          detail: `${String(Math.round((d.newest.t - p.fixTimeMs) / 1000))} s late`,
        };
      }
      const speed = this.impliedSpeed(d.newest, here);
      if (speed !== null) {
        if (d.jump && this.impliedSpeed(d.jump.anchor, here) === null) {
          d.jump = { anchor: here, count: d.jump.count + 1 };
        } else {
          d.jump = { anchor: here, count: 1 };
        }
        if (d.jump.count < this.s.jumpReanchorCount) {
          return { reason: 'impossible_jump', detail: `${String(Math.round(speed))} km/h` };
        }
        // The receiver has been consistently "elsewhere": believe it and move the anchor.
      }
      d.jump = speed === null ? null : d.jump;
    }
    this.remember(d, p.fixTimeMs);
    if (!d.newest || here.t >= d.newest.t) d.newest = here;
    if (d.jump && d.jump.count >= this.s.jumpReanchorCount) d.jump = null;
    return null;
  }

  /** A batch that could not be stored after all: its re-send must be judged as if it were new. */
  undo(screened: Screened): void {
    for (const p of screened.accepted) this.devices.get(p.deviceId)?.seen.delete(p.fixTimeMs);
    for (const [id, b] of screened.before) {
      const d = this.devices.get(id);
      if (d) {
        d.newest = b.newest;
        d.jump = b.jump;
      }
    }
  }

  /** km/h when moving from a to b is impossible, else null. */
  private impliedSpeed(a: Anchor, b: Anchor): number | null {
    const dist = distanceM(a.lon, a.lat, b.lon, b.lat);
    if (dist < this.s.jumpMinDistanceM) return null;
    const dt = Math.abs(b.t - a.t) / 1000;
    const kmh = dt === 0 ? Infinity : (dist / dt) * 3.6;
    return kmh > this.s.maxSpeedKmh ? kmh : null;
  }

  private device(id: string): DeviceState {
    let d = this.devices.get(id);
    if (!d) {
      d = { newest: null, seen: new Set(), jump: null };
      this.devices.set(id, d);
    }
    return d;
  }

  private remember(d: DeviceState, t: number): void {
    d.seen.add(t);
    if (d.seen.size > SEEN_LIMIT) {
      const first = d.seen.values().next().value;
      if (first !== undefined) d.seen.delete(first);
    }
  }
}

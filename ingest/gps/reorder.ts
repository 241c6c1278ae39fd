import type { GpsPoint } from './point.js';

/**
 * Holds accepted points per device just long enough to hand them on in fix-time order: a
 * point leaves when the device's newest fix is `toleranceMs` past it (event time) or when it
 * has waited `toleranceMs` of receive time. Backlog points pass straight through: they are
 * late by nature, and holding them would not make them less so. No clock, no I/O.
 */
export class ReorderBuffer {
  private readonly held = new Map<string, { newest: number; points: GpsPoint[] }>();
  /** Points handed on after a newer point of the same device (arrived after its wait ended). */
  late = 0;
  private readonly lastOut = new Map<string, number>();

  constructor(private readonly toleranceMs: number) {}

  /** Add points; returns what may leave now, per device in fix-time order. */
  add(points: readonly GpsPoint[], nowMs: number): GpsPoint[] {
    const out: GpsPoint[] = [];
    for (const p of points) {
      if (p.backlog || this.toleranceMs === 0) {
        out.push(p);
        continue;
      }
      let h = this.held.get(p.deviceId);
      if (!h) {
        h = { newest: p.fixTimeMs, points: [] };
        this.held.set(p.deviceId, h);
      }
      h.newest = Math.max(h.newest, p.fixTimeMs);
      // Insertion sort from the end: points nearly always arrive in order.
      let i = h.points.length;
      while (i > 0 && (h.points[i - 1] as GpsPoint).fixTimeMs > p.fixTimeMs) i--;
      h.points.splice(i, 0, p);
    }
    return this.note(out).concat(this.release(nowMs));
  }

  /** Points whose wait is over. */
  release(nowMs: number): GpsPoint[] {
    const out: GpsPoint[] = [];
    for (const [device, h] of this.held) {
      let n = 0;
      while (n < h.points.length) {
        const p = h.points[n] as GpsPoint;
        if (p.fixTimeMs > h.newest - this.toleranceMs && p.receivedMs + this.toleranceMs > nowMs) break;
        n++;
      }
      if (n > 0) out.push(...h.points.splice(0, n));
      if (h.points.length === 0) this.held.delete(device);
    }
    return this.note(out);
  }

  /** Everything held, in order (at shutdown). */
  drain(): GpsPoint[] {
    const out = [...this.held.values()].flatMap((h) => h.points);
    this.held.clear();
    return this.note(out);
  }

  get size(): number {
    let n = 0;
    for (const h of this.held.values()) n += h.points.length;
    return n;
  }

  private note(points: GpsPoint[]): GpsPoint[] {
    for (const p of points) {
      if (p.backlog) continue;
      const last = this.lastOut.get(p.deviceId);
      if (last !== undefined && p.fixTimeMs < last) this.late++;
      else this.lastOut.set(p.deviceId, p.fixTimeMs);
    }
    return points;
  }
}

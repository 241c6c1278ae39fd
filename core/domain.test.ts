import { describe, expect, it } from 'vitest';
import { INCIDENT_STATUSES, INCIDENT_TRANSITIONS, canTransition } from './domain.js';

describe('incident lifecycle', () => {
  it('follows 上报 → 立案 → 派遣 → 处置 → 核查 → 结案', () => {
    const path = ['reported', 'registered', 'dispatched', 'handled', 'verified', 'closed'] as const;
    path.slice(1).forEach((to, i) => {
      expect(canTransition(path[i] ?? 'closed', to)).toBe(true);
    });
  });

  it('sends failed verification back as rework, then re-dispatch', () => {
    expect(canTransition('handled', 'rework')).toBe(true);
    expect(canTransition('rework', 'dispatched')).toBe(true);
    expect(canTransition('rework', 'closed')).toBe(false);
  });

  it('closed is final and every status is reachable from reported', () => {
    expect(INCIDENT_TRANSITIONS.closed).toEqual([]);
    const seen = new Set<string>(['reported']);
    const queue: (typeof INCIDENT_STATUSES)[number][] = ['reported'];
    for (let cur = queue.shift(); cur !== undefined; cur = queue.shift()) {
      for (const next of INCIDENT_TRANSITIONS[cur]) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    expect([...seen].sort()).toEqual([...INCIDENT_STATUSES].sort());
  });
});

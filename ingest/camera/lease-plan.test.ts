import { describe, expect, it } from 'vitest';
import { planLeases } from './lease-plan.js';

const cams = [1, 2, 3, 4, 5, 6, 7, 8];

describe('lease plan', () => {
  it('two fresh nodes take disjoint halves by affinity', () => {
    const a = planLeases({
      me: 'a',
      cameras: cams,
      holders: new Map(),
      nodes: ['a', 'b'],
      freeBefore: new Set(),
    });
    expect(a.acquire).toHaveLength(4);
    const holders = new Map(a.acquire.map((id) => [id, 'a']));
    const b = planLeases({ me: 'b', cameras: cams, holders, nodes: ['a', 'b'], freeBefore: new Set() });
    expect(b.acquire).toHaveLength(4);
    expect(new Set([...a.acquire, ...b.acquire]).size).toBe(8);
  });

  it('takes cameras beyond its share once they stayed free for a tick (their node died)', () => {
    const holders = new Map([1, 2, 3, 4].map((id) => [id, 'b']));
    const first = planLeases({ me: 'b', cameras: cams, holders, nodes: ['a', 'b'], freeBefore: new Set() });
    expect(first.acquire).toEqual([]);
    const second = planLeases({
      me: 'b',
      cameras: cams,
      holders,
      nodes: ['a', 'b'],
      freeBefore: new Set([5, 6, 7, 8]),
    });
    expect(second.acquire.sort()).toEqual([5, 6, 7, 8]);
  });

  it('gives back extras when a new node joins, and releases removed cameras', () => {
    const holders = new Map(cams.map((id) => [id, 'a']));
    const p = planLeases({
      me: 'a',
      cameras: cams.slice(0, 7),
      holders,
      nodes: ['a', 'b'],
      freeBefore: new Set(),
    });
    expect(p.release).toContain(8);
    expect(p.release).toHaveLength(4); // camera 8 removed + 3 extras over the share of 4
  });
});

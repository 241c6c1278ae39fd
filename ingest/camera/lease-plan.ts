/** Pure: which camera leases a node should take or give up on this tick. */
import { createHash } from 'node:crypto';

export interface LeaseView {
  readonly me: string;
  /** Enabled cameras in the database. */
  readonly cameras: readonly number[];
  /** Current holder node of each held camera. */
  readonly holders: ReadonlyMap<number, string>;
  /** Pipeline nodes alive (presence), including me. */
  readonly nodes: readonly string[];
  /** Cameras that were already free on the previous tick (nobody took them since). */
  readonly freeBefore: ReadonlySet<number>;
}

export interface LeasePlan {
  readonly acquire: number[];
  readonly release: number[];
}

/** Rendezvous hashing: each camera has a stable preferred order of nodes, so nodes agree without talking. */
export function affinity(cameraId: number, node: string): number {
  return createHash('sha1')
    .update(`${String(cameraId)}|${node}`)
    .digest()
    .readUInt32BE(0);
}

export function planLeases(v: LeaseView): LeasePlan {
  const nodes = v.nodes.includes(v.me) ? v.nodes : [...v.nodes, v.me];
  const target = Math.ceil(v.cameras.length / Math.max(1, nodes.length));
  const enabled = new Set(v.cameras);
  const mine = [...v.holders].filter(([, n]) => n === v.me).map(([id]) => id);
  const release = mine.filter((id) => !enabled.has(id));
  let held = mine.length - release.length;

  const free = v.cameras
    .filter((id) => !v.holders.has(id))
    .sort((a, b) => affinity(b, v.me) - affinity(a, v.me) || a - b);
  const acquire: number[] = [];
  for (const id of free) {
    // Over the fair share only for cameras nobody picked up last tick (their node died).
    if (held < target || v.freeBefore.has(id)) {
      acquire.push(id);
      held++;
    }
  }

  // Give back extras when another live node is under its share, least-preferred first.
  const counts = new Map(nodes.map((n) => [n, 0]));
  for (const n of v.holders.values()) counts.set(n, (counts.get(n) ?? 0) + 1);
  const someoneUnder = nodes.some(
    (n) => n !== v.me && (counts.get(n) ?? 0) < Math.floor(v.cameras.length / nodes.length),
  );
  if (someoneUnder && held > target) {
    const extras = mine
      .filter((id) => enabled.has(id))
      .sort((a, b) => affinity(a, v.me) - affinity(b, v.me))
      .slice(0, held - target);
    release.push(...extras);
  }
  return { acquire, release };
}

import { escapeAndWrap, unescapeFrame } from '../jt808/index.js';
import { TerminalClient } from './client.js';
import { timeOf, toLocation, type ScenarioTrack } from './tracks.js';

export interface ReplayOptions {
  readonly host: string;
  readonly port: number;
  /** 1 = real time, 10 = ten times faster, 0 = as fast as answers come back. */
  readonly speedup: number;
  /** Shift the track so its first point is at this time (scenario files recorded on another day). */
  readonly startAtMs?: number;
  /** Point indexes [from, to) the truck spends out of coverage: sent later as 0x0704 backlog. */
  readonly blindAreas?: readonly { from: number; to: number }[];
  /** Point indexes before which the link drops and the terminal reconnects (re-authenticating). */
  readonly reconnectAt?: readonly number[];
  /** Every n-th point is preceded by a frame with a broken check code. */
  readonly badPacketEvery?: number;
}

export interface ReplayStats {
  sent: number;
  acked: number;
  failed: number;
  backlog: number;
  badPackets: number;
  reconnects: number;
  loginFailures: number;
}

const BACKLOG_CHUNK = 20; // 20 items of 42 bytes stay under the 1023-byte body limit

/** Drive one terminal through its track over TCP. Returns what the platform acknowledged. */
export async function replayTrack(track: ScenarioTrack, o: ReplayOptions): Promise<ReplayStats> {
  const st: ReplayStats = {
    sent: 0,
    acked: 0,
    failed: 0,
    backlog: 0,
    badPackets: 0,
    reconnects: 0,
    loginFailures: 0,
  };
  const client = new TerminalClient(track, o.host, o.port);
  const shift = o.startAtMs !== undefined && track.points[0] ? o.startAtMs - timeOf(track.points[0]) : 0;
  const wallStart = Date.now();
  const t0 = track.points[0] ? timeOf(track.points[0]) : 0;
  const inBlind = (i: number): boolean => (o.blindAreas ?? []).some((b) => i >= b.from && i < b.to);
  const login = async (): Promise<boolean> => {
    await client.connect();
    const r = await client.login();
    if (!r.authenticated) st.loginFailures++;
    return r.authenticated;
  };
  if (!(await login())) {
    client.drop();
    return st;
  }
  let held: ReturnType<typeof toLocation>[] = [];
  const flushBacklog = async (): Promise<void> => {
    for (let i = 0; i < held.length; i += BACKLOG_CHUNK) {
      const chunk = held.slice(i, i + BACKLOG_CHUNK);
      const a = await client.batch(1, chunk);
      st.backlog += chunk.length;
      st.sent += chunk.length;
      if (a.result === 0) st.acked += chunk.length;
      else st.failed += chunk.length;
    }
    held = [];
  };
  let mileage = 0;
  for (let i = 0; i < track.points.length; i++) {
    const p = track.points[i] as (typeof track.points)[number];
    if (o.speedup > 0) {
      const due = wallStart + (timeOf(p) - t0) / o.speedup;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    if (o.reconnectAt?.includes(i)) {
      client.drop();
      st.reconnects++;
      if (!(await login())) break;
    }
    mileage += ((p.speed ?? 0) * 10) / 3600;
    const loc = toLocation(p, timeOf(p) + shift, Math.round(mileage * 10) / 10);
    if (inBlind(i)) {
      held.push(loc);
      continue;
    }
    if (held.length > 0) await flushBacklog();
    if (o.badPacketEvery && i % o.badPacketEvery === 0) {
      client.sendRaw(badFrame(client.frame(0x0200, Buffer.alloc(28, 0x11)).bytes));
      st.badPackets++;
    }
    const a = await client.location(loc);
    st.sent++;
    if (a.result === 0) st.acked++;
    else st.failed++;
  }
  if (held.length > 0) await flushBacklog();
  await client.logout();
  await client.end();
  return st;
}

/** Replay many tracks at once (one TCP client each); totals of every truck. */
export async function replayFleet(tracks: readonly ScenarioTrack[], o: ReplayOptions): Promise<ReplayStats> {
  const all = await Promise.all(tracks.map((t) => replayTrack(t, o)));
  const sum: ReplayStats = {
    sent: 0,
    acked: 0,
    failed: 0,
    backlog: 0,
    badPackets: 0,
    reconnects: 0,
    loginFailures: 0,
  };
  for (const s of all) for (const k of Object.keys(sum) as (keyof ReplayStats)[]) sum[k] += s[k];
  return sum;
}

/** The same frame with its check code off by one bit. */
export function badFrame(wire: Buffer): Buffer {
  const inner = Buffer.from(unescapeFrame(wire.subarray(1, wire.length - 1)) ?? Buffer.alloc(1));
  inner[inner.length - 1] = (inner[inner.length - 1] ?? 0) ^ 0x01;
  return escapeAndWrap(inner);
}

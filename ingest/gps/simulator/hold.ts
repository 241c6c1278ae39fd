import { TerminalClient } from './client.js';
import { toLocation, type ScenarioTrack } from './tracks.js';

export interface HoldOptions {
  readonly host: string;
  readonly port: number;
  /** Auth code the terminals already hold (skips registration). */
  readonly authCode?: string;
  readonly everyS: number;
  readonly holdS: number;
  /** Connections opened at once while ramping up (the listen backlog is finite). */
  readonly rampBatch?: number;
  /** Called once every link is up and authenticated. */
  readonly onReady?: (connected: number) => void;
}

/**
 * Many idle-ish terminals: connect and authenticate them all, then each sends one report every
 * `everyS` seconds (phases spread evenly) for `holdS` seconds, walking along its track.
 */
export async function holdFleet(
  tracks: readonly ScenarioTrack[],
  o: HoldOptions,
): Promise<{ connected: number; acked: number; failed: number }> {
  const clients: TerminalClient[] = [];
  const batch = o.rampBatch ?? 500;
  for (let i = 0; i < tracks.length; i += batch) {
    const up = await Promise.all(
      tracks.slice(i, i + batch).map(async (t) => {
        const c = new TerminalClient(t, o.host, o.port, 60_000);
        if (o.authCode) c.authCode = o.authCode;
        try {
          await c.connect();
          return (await c.login()).authenticated ? c : null;
        } catch {
          return null;
        }
      }),
    );
    for (const c of up) if (c) clients.push(c);
  }
  o.onReady?.(clients.length);
  let acked = 0;
  let failed = 0;
  const rounds = Math.floor(o.holdS / o.everyS);
  await Promise.all(
    clients.map(async (c, i) => {
      const track = tracks[i] as ScenarioTrack;
      await new Promise((r) => setTimeout(r, ((i % 1000) / 1000) * o.everyS * 1000));
      for (let k = 0; k < rounds; k++) {
        const p = track.points[k % track.points.length];
        if (!p) break;
        const a = await c.location(toLocation(p, Date.now() - 1000));
        if (a.result === 0) acked++;
        else failed++;
        await new Promise((r) => setTimeout(r, o.everyS * 1000));
      }
    }),
  );
  await Promise.all(clients.map((c) => c.end()));
  return { connected: clients.length, acked, failed };
}

import { TerminalClient } from './client.js';
import { toLocation, type ScenarioTrack } from './tracks.js';

/**
 * Load generation: one terminal sending its whole track as fast as the gateway acknowledges,
 * keeping up to `window` reports in flight (a real terminal has one; a load test stands in for
 * many). Returns how many reports were acknowledged with result 0.
 */
export async function floodTrack(
  track: ScenarioTrack,
  host: string,
  port: number,
  window: number,
): Promise<number> {
  const c = new TerminalClient(track, host, port, 120_000);
  await c.connect();
  if (!(await c.login()).authenticated) {
    c.drop();
    return 0;
  }
  let acked = 0;
  const inflight = new Set<Promise<void>>();
  for (const p of track.points) {
    const done: Promise<void> = c.location(toLocation(p)).then((a) => {
      if (a.result === 0) acked++;
      inflight.delete(done);
    });
    inflight.add(done);
    if (inflight.size >= window) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  await c.end();
  return acked;
}

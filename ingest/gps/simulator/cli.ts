/**
 * Truck simulator from the command line: replays a scenario file (JSON: ScenarioTrack[]) or a
 * generated fleet against a gateway, and prints what was acknowledged as one JSON line.
 *
 *   tsx ingest/gps/simulator/cli.ts --port 6808 --trucks 50 --points 360 --speedup 10
 *   tsx ingest/gps/simulator/cli.ts --port 6808 --scenario tracks.json --speedup 1 --blind 20:40
 *   tsx ingest/gps/simulator/cli.ts --port 6808 --trucks 40 --points 3000 --window 256   (load test)
 *   tsx ingest/gps/simulator/cli.ts --port 6808 --trucks 10000 --hold 60 --every 10 --auth-code X (many links)
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { floodTrack } from './flood.js';
import { holdFleet } from './hold.js';
import { replayFleet } from './replay.js';
import { generateFleet, type ScenarioTrack } from './tracks.js';

const { values: a } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '6808' },
    scenario: { type: 'string' },
    trucks: { type: 'string', default: '10' },
    points: { type: 'string', default: '100' },
    interval: { type: 'string', default: '10' },
    start: { type: 'string' },
    seed: { type: 'string', default: '1' },
    first: { type: 'string', default: '13900000000' },
    speedup: { type: 'string', default: '0' },
    window: { type: 'string' },
    blind: { type: 'string' },
    reconnect: { type: 'string' },
    bad: { type: 'string' },
    hold: { type: 'string' },
    every: { type: 'string', default: '10' },
    'auth-code': { type: 'string' },
  },
});

const startMs = a.start ? Number(a.start) : Date.now() - Number(a.points) * Number(a.interval) * 1000;
const tracks: ScenarioTrack[] = a.scenario
  ? (JSON.parse(readFileSync(a.scenario, 'utf8')) as ScenarioTrack[])
  : generateFleet({
      trucks: Number(a.trucks),
      pointsPerTruck: Number(a.points),
      startMs,
      intervalS: Number(a.interval),
      seed: Number(a.seed),
      firstTerminalId: Number(a.first),
    });
const port = Number(a.port);
const t0 = Date.now();
if (a.hold) {
  const r = await holdFleet(tracks, {
    host: a.host,
    port,
    everyS: Number(a.every),
    holdS: Number(a.hold),
    ...(a['auth-code'] ? { authCode: a['auth-code'] } : {}),
    onReady: (n) =>
      process.stdout.write(`${JSON.stringify({ ready: n, seconds: (Date.now() - t0) / 1000 })}\n`),
  });
  process.stdout.write(`${JSON.stringify({ ...r, seconds: (Date.now() - t0) / 1000 })}\n`);
} else if (a.window) {
  const acked = await Promise.all(tracks.map((t) => floodTrack(t, a.host, port, Number(a.window))));
  const total = acked.reduce((x, y) => x + y, 0);
  const cpu = process.cpuUsage();
  const cpuS = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(`${JSON.stringify({ acked: total, seconds: (Date.now() - t0) / 1000, cpuS })}\n`);
} else {
  const range = (s: string | undefined): { from: number; to: number }[] =>
    s ? s.split(',').map((r) => ({ from: Number(r.split(':')[0]), to: Number(r.split(':')[1]) })) : [];
  const stats = await replayFleet(tracks, {
    host: a.host,
    port,
    speedup: Number(a.speedup),
    ...(a.scenario ? { startAtMs: startMs } : {}),
    blindAreas: range(a.blind),
    reconnectAt: a.reconnect ? a.reconnect.split(',').map(Number) : [],
    ...(a.bad ? { badPacketEvery: Number(a.bad) } : {}),
  });
  process.stdout.write(`${JSON.stringify({ ...stats, seconds: (Date.now() - t0) / 1000 })}\n`);
}

/**
 * `npm run demo`: provision the services, migrate, seed the demo city, start the camera simulator
 * (fixture clips over RTSP), every MuckWatch process, the truck simulator (the fleet over
 * JT/T 808) and the scene player (camera scenarios played now and then, their trucks in step). Ctrl-C stops them all (SIGTERM, then SIGKILL after 10 s).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { createUser } from '../console/index.js';
import { startScenePlayer } from './lib/scene-player.js';
import { PROCESSES, createPool, loadProcessConfig, opsPortOf } from '../core/index.js';
import {
  DEMO_CAMERAS,
  clipBase,
  demoFleetTracks,
  loadScenario,
  seedCity,
  startCameraSimulator,
} from '../fixtures/index.js';
import { replayFleet, replayTrack } from '../ingest/index.js';

const tsx = [process.execPath, '--import', 'tsx'] as const;
const say = (msg: string): void => {
  process.stdout.write(`demo: ${msg}\n`);
};
const step = (args: string[]): void => {
  const r = spawnSync(tsx[0], [...tsx.slice(1), ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitForPort(host: string, port: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host, port }, () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => {
        resolve(false);
      });
    });
    if (ok) return true;
    await sleep(500);
  }
  return false;
}

step(['scripts/services.ts']);
step(['bin/migrate.ts']);
const config = loadProcessConfig([]);

const streams = [...new Set(DEMO_CAMERAS.map((c) => c.stream))];
// Cameras whose scenario has findings idle on a quiet clip and play the scenario now and then.
const SCENES = ['dumping-gate', 'vending-street'];
const IDLE_CLIP = `${clipBase('distractors-day')}.mp4`;
const streamConfigs = streams.map((s) => ({
  path: s,
  clips: SCENES.includes(s) ? [IDLE_CLIP, `${clipBase(s)}.mp4`] : [`${clipBase(s)}.mp4`],
}));
const sim = await startCameraSimulator({ streams: streamConfigs, port: 8554 }).catch(() =>
  startCameraSimulator({ streams: streamConfigs }),
);
say(`camera simulator: ${String(streams.length)} streams at rtsp://${sim.host}:${String(sim.port)}/`);

const DEMO_PASSWORD = 'muckwatch-demo';
const DEMO_USERS = [
  { username: 'operator', displayName: '值班员', role: 'operator' },
  { username: 'officer', displayName: '执法队员', role: 'enforcement' },
  { username: 'auditor', displayName: '审计员', role: 'auditor' },
  { username: 'admin', displayName: '管理员', role: 'admin' },
] as const;

const pool = createPool(config.database);
const seeded = await seedCity(pool, { rtspBase: `rtsp://${sim.host}:${String(sim.port)}` });
const team = await pool.query<{ id: string }>(
  `INSERT INTO teams (name, jurisdiction_code) VALUES ('中心区执法一中队', 'JD-HOME')
   ON CONFLICT (name) DO UPDATE SET jurisdiction_code = EXCLUDED.jurisdiction_code RETURNING id`,
);
for (const u of DEMO_USERS) {
  const exists = await pool.query('SELECT 1 FROM users WHERE username = $1', [u.username]);
  if (exists.rowCount) continue;
  await createUser(
    pool,
    {
      ...u,
      password: DEMO_PASSWORD,
      jurisdictionCode: null,
      teamId: u.role === 'enforcement' ? Number(team.rows[0]?.id) : null,
    },
    { id: null, name: 'demo' },
  );
}
const terminals = await pool.query<{ plate: string; terminal_id: string }>(
  'SELECT v.plate, t.terminal_id FROM terminals t JOIN vehicles v ON v.id = t.vehicle_id',
);
const terminalOf = (plate: string): string =>
  terminals.rows.find((r) => r.plate === plate)?.terminal_id ?? '00000000000';
await pool.end();
say(
  `demo city: ${String(seeded.zones)} zones, ${String(seeded.cameras)} cameras, ${String(seeded.vehicles)} trucks`,
);

const children: ChildProcess[] = [];
for (const p of PROCESSES) {
  // Processes were just migrated above; skip the per-process migration race at start.
  const child = spawn(tsx[0], [...tsx.slice(1), p.entry, ...process.argv.slice(2)], {
    env: { ...process.env, DATABASE_MIGRATE_ON_START: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${p.name}] `;
  const relay = (out: NodeJS.WriteStream) => (d: Buffer) => {
    out.write(d.toString().replace(/^(?=.)/gm, prefix));
  };
  child.stdout.on('data', relay(process.stdout));
  child.stderr.on('data', relay(process.stderr));
  child.on('exit', (code) => {
    process.stderr.write(`${prefix}exited with ${String(code)}\n`);
  });
  children.push(child);
}

let stopping = false;
let player: { stop: () => void } | null = null;
const stopAll = (): void => {
  if (stopping) return;
  stopping = true;
  player?.stop();
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    process.exit(0);
  }, 10_000).unref();
  const exited = children.map(
    (c) =>
      new Promise((res) => {
        if (c.exitCode !== null) res(0);
        else c.on('exit', res);
      }),
  );
  void Promise.all([...exited, sim.stop()]).then(() => {
    process.exit(0);
  });
};
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

const gpsHost = config.gps.host === '0.0.0.0' ? '127.0.0.1' : config.gps.host;
if (await waitForPort(gpsHost, config.gps.jt808Port, 60_000)) {
  const { live, crossBorder } = demoFleetTracks(Date.now(), 8);
  say(
    `truck simulator: ${String(live.length)} trucks live over JT/T 808, 1 cross-border trip sent as blind-area backlog`,
  );
  void replayTrack(crossBorder, { host: gpsHost, port: config.gps.jt808Port, speedup: 0 });
  void replayFleet(live, { host: gpsHost, port: config.gps.jt808Port, speedup: 1 });
  const scenes = await Promise.all(
    SCENES.map(async (path) => ({ path, scenario: await loadScenario(`fixtures/scenarios/${path}.yaml`) })),
  );
  player = startScenePlayer({
    sim,
    scenes,
    firstS: 30,
    staggerS: 60,
    everyS: 240,
    gps: { host: gpsHost, port: config.gps.jt808Port },
    terminalOf,
    say,
  });
  say(
    `scenes: ${SCENES.join(', ')} play once every 4 min (first in 30 s), their trucks reporting over JT/T 808 in step`,
  );
} else {
  say('the GPS gateway did not open its port: no truck simulator');
}
say(
  `MuckWatch is running: console http://${config.console.host}:${String(config.console.port)}/ ` +
    `(health: /api/health), JT/T 808 on :${String(config.gps.jt808Port)}. Ctrl-C stops.`,
);
say(
  `metrics and health: ${PROCESSES.map((p) => `${p.name} http://${config.ops.host}:${String(opsPortOf(config, p.name))}/metrics`).join(', ')}`,
);
say(
  `demo logins (password ${DEMO_PASSWORD}): ${DEMO_USERS.map((u) => `${u.username} (${u.role})`).join(', ')}`,
);

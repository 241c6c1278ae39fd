/**
 * Test data for the console's tests, inserted with SQL (no service code path is trusted to seed).
 * Not a test file itself, so it takes the pool and app from the test.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from '../core/index.js';
import { ROLES, type Role } from '../core/index.js';
import { hashPassword } from './auth/password.js';
import type { ConsoleApp } from './app.js';

export const PASSWORD = 'correct horse 1';

export interface Seeded {
  readonly users: Record<Role, number>;
  readonly districtOperator: number;
  readonly teams: { d1: number; d2: number };
  readonly incidents: { d1: number; d2: number };
  readonly cameraId: number;
  readonly vehicleId: number;
  readonly evidence: { clip: number; snapshot: number };
  readonly clipBytes: Buffer;
  readonly snapshotBytes: Buffer;
}

export async function seed(pool: Pool, dataDir: string): Promise<Seeded> {
  const hash = await hashPassword(PASSWORD);
  const one = async (sql: string, args: unknown[] = []): Promise<number> => {
    const { rows } = await pool.query<{ id: string }>(sql, args);
    return Number(rows[0]?.id);
  };
  await pool.query(
    `INSERT INTO zones (kind, code, name, geom) VALUES
       ('jurisdiction', 'D1', '东城区', ST_GeomFromText('POLYGON((116.30 39.90, 116.40 39.90, 116.40 40.00, 116.30 40.00, 116.30 39.90))', 4326)),
       ('jurisdiction', 'D2', '西城区', ST_GeomFromText('POLYGON((116.40 39.90, 116.50 39.90, 116.50 40.00, 116.40 40.00, 116.40 39.90))', 4326))`,
  );
  const d1Team = await one(
    `INSERT INTO teams (name, jurisdiction_code) VALUES ('东城一中队', 'D1') RETURNING id`,
  );
  const d2Team = await one(
    `INSERT INTO teams (name, jurisdiction_code) VALUES ('西城一中队', 'D2') RETURNING id`,
  );
  const users = {} as Record<Role, number>;
  for (const role of ROLES) {
    users[role] = await one(
      `INSERT INTO users (username, display_name, password_hash, role, jurisdiction_code, team_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      // Enforcement officers belong to a district team; the others work at city level.
      [
        role,
        `${role} user`,
        hash,
        role,
        role === 'enforcement' ? 'D1' : null,
        role === 'enforcement' ? d1Team : null,
      ],
    );
  }
  const districtOperator = await one(
    `INSERT INTO users (username, display_name, password_hash, role, jurisdiction_code)
     VALUES ('op-d2', 'D2 operator', $1, 'operator', 'D2') RETURNING id`,
    [hash],
  );
  const cameraId = await one(
    `INSERT INTO cameras (code, name, rtsp_main_url, position, jurisdiction_code)
     VALUES ('CAM-1', '东门路口', 'rtsp://127.0.0.1/cam1', ST_SetSRID(ST_MakePoint(116.35, 39.95), 4326), 'D1') RETURNING id`,
  );
  const company = await one(`INSERT INTO companies (name) VALUES ('城建运输') RETURNING id`);
  const vehicleId = await one(
    `INSERT INTO vehicles (plate, company_id) VALUES ('京A12345', $1) RETURNING id`,
    [company],
  );
  const incident = async (key: string, jur: string, lon: number): Promise<number> =>
    one(
      `INSERT INTO incidents (type, dedupe_key, camera_id, jurisdiction_code, location, started_at, explanation)
       VALUES ('dust', $1, $2, $3, ST_SetSRID(ST_MakePoint($4, 39.95), 4326), now() - interval '5 minutes',
               '{"rule":"dust","confidence":0.91}') RETURNING id`,
      [key, cameraId, jur, lon],
    );
  const d1 = await incident('k-d1', 'D1', 116.35);
  const d2 = await incident('k-d2', 'D2', 116.45);
  await pool.query(
    `INSERT INTO incident_vehicles (incident_id, vehicle_id, confidence, reason) VALUES ($1, $2, 0.87, 'GPS track in camera view at detection time')`,
    [d1, vehicleId],
  );
  await pool.query(`SELECT ensure_gps_points_partition(now()::date)`);
  await pool.query(
    `INSERT INTO gps_points (device_id, vehicle_id, fix_time, geom, speed_kmh, source)
     SELECT 'dev1', $1, now() - make_interval(secs => s * 30), ST_SetSRID(ST_MakePoint(116.35 + s * 0.0005, 39.95), 4326), 20, 'replay'
       FROM generate_series(0, 9) s`,
    [vehicleId],
  );
  // Evidence files laid out as the content-addressed store keeps them.
  // A real committed fixture clip, and a real frame of it as the snapshot, so browsers can play them.
  const clipPath = new URL('../fixtures/clips/dumping-gate.mp4', import.meta.url).pathname;
  const clipBytes = readFileSync(clipPath);
  const snapPath = join(tmpdir(), `mw-snap-${String(process.pid)}-${String(Date.now())}.jpg`);
  const ff = spawnSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-ss',
    '12',
    '-i',
    clipPath,
    '-frames:v',
    '1',
    snapPath,
  ]);
  const snapBytes = ff.status === 0 ? readFileSync(snapPath) : Buffer.from('no-ffmpeg');
  const put = (bytes: Buffer, ext: string): string => {
    const sha = createHash('sha256').update(bytes).digest('hex');
    mkdirSync(join(dataDir, 'evidence', sha.slice(0, 2)), { recursive: true });
    writeFileSync(join(dataDir, 'evidence', sha.slice(0, 2), `${sha}.${ext}`), bytes);
    return sha;
  };
  const clipSha = put(clipBytes, 'mp4');
  const snapSha = put(snapBytes, 'jpg');
  const clip = await one(
    `INSERT INTO evidence (incident_id, kind, sha256, size_bytes, camera_id) VALUES ($1, 'clip', $2, $3, $4) RETURNING id`,
    [d1, clipSha, clipBytes.length, cameraId],
  );
  const snapshot = await one(
    `INSERT INTO evidence (incident_id, kind, sha256, size_bytes, camera_id) VALUES ($1, 'snapshot', $2, $3, $4) RETURNING id`,
    [d1, snapSha, snapBytes.length, cameraId],
  );
  // The clip's box track, from the fixture's ground truth (what the clip worker writes per clip).
  const gt = JSON.parse(readFileSync(clipPath.replace(/\.mp4$/, '.gt.json'), 'utf8')) as {
    startTime: string;
    frames: { i: number; t: number; objects: { cls: string; box: [number, number, number, number] }[] }[];
  };
  const boxes = gt.frames
    .filter((f) => f.i % 5 === 0)
    .flatMap((f) =>
      f.objects
        .filter((o) => ['dust', 'truck_uncovered', 'debris_pile'].includes(o.cls))
        .map((o) => ({
          t: f.t,
          cls: o.cls,
          confidence: 0.9,
          box: { x: o.box[0], y: o.box[1], w: o.box[2] - o.box[0], h: o.box[3] - o.box[1] },
        })),
    );
  const trackBytes = Buffer.from(
    JSON.stringify({ clipStart: new Date(Date.now() - 330_000).toISOString(), boxes }),
  );
  await pool.query(
    `INSERT INTO evidence (incident_id, kind, sha256, size_bytes, camera_id) VALUES ($1, 'track', $2, $3, $4)`,
    [d1, put(trackBytes, 'json'), trackBytes.length, cameraId],
  );
  return {
    users,
    districtOperator,
    teams: { d1: d1Team, d2: d2Team },
    incidents: { d1, d2 },
    cameraId,
    vehicleId,
    evidence: { clip, snapshot },
    clipBytes,
    snapshotBytes: snapBytes,
  };
}

export interface Login {
  readonly cookie: string;
  readonly csrf: string;
}

export async function login(app: ConsoleApp, username: string, password = PASSWORD): Promise<Login> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${String(res.statusCode)} ${res.body}`);
  const setCookie = String(res.headers['set-cookie']);
  return { cookie: setCookie.split(';')[0] ?? '', csrf: res.json<{ csrfToken: string }>().csrfToken };
}

export const as = (l: Login) => ({ cookie: l.cookie, 'x-csrf-token': l.csrf });

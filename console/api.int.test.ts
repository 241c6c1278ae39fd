import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsChannel } from '../rules/index.js';
import { publishCameraHealth, readAudit, verifyChain, verifyPackage } from '../core/index.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../core/testing/services.js';
import { buildApp, type ConsoleApp } from './app.js';
import { as, login, seed, type Login, type Seeded } from './test-seed.js';

describe('console API', () => {
  let db: TestDatabase;
  let r: TestRedis;
  let app: ConsoleApp;
  let s: Seeded;
  let dir: string;
  const who: Partial<Record<string, Login>> = {};
  const get = (name: string): Login => {
    const l = who[name];
    if (!l) throw new Error(`no login ${name}`);
    return l;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'mw-console-'));
    s = await seed(db.pool, dir);
    app = buildApp({
      pool: db.pool,
      redis: r.redis,
      redisPrefix: r.ctx.prefix,
      dataDir: dir,
      loginMaxFailures: 3,
      web: false,
    });
    for (const u of ['operator', 'enforcement', 'auditor', 'admin', 'op-d2']) who[u] = await login(app, u);
  });
  afterAll(async () => {
    await app.close();
    await db.cleanup();
    await r.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses wrong passwords, then rate-limits the name even with the right one', async () => {
    const bad = {
      method: 'POST' as const,
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'nope' },
    };
    for (let i = 0; i < 3; i++)
      expect((await app.inject(bad)).json()).toMatchObject({ code: 'MW_LOGIN_FAILED' });
    const limited = await app.inject({ ...bad, payload: { username: 'admin', password: 'correct horse 1' } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'MW_LOGIN_RATE_LIMITED' });
    const cookie = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'operator', password: 'correct horse 1' },
    });
    expect(String(cookie.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('refuses a change without the CSRF token, and rejects malformed input with a code', async () => {
    const op = get('operator');
    const noCsrf = await app.inject({
      method: 'POST',
      url: `/api/incidents/${s.incidents.d1}/register`,
      headers: { cookie: op.cookie },
      payload: {},
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json()).toMatchObject({ code: 'MW_CSRF' });
    const bad = await app.inject({
      method: 'GET',
      url: '/api/incidents?status=lost&pageSize=9999',
      headers: as(op),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'MW_VALIDATION' });
    const badDispatch = await app.inject({
      method: 'POST',
      url: `/api/incidents/${s.incidents.d1}/dispatch`,
      headers: as(op),
      payload: { teamId: 'x' },
    });
    expect(badDispatch.statusCode).toBe(400);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM dispatches');
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('scopes incidents by jurisdiction and pages them', async () => {
    const all = await app.inject({ url: '/api/incidents?pageSize=1', headers: as(get('operator')) });
    expect(all.json()).toMatchObject({ total: 2, pageSize: 1, page: 1 });
    expect(all.json<{ items: unknown[] }>().items).toHaveLength(1);
    const d2 = (await app.inject({ url: '/api/incidents', headers: as(get('op-d2')) })).json<{
      items: { id: number }[];
    }>();
    expect(d2.items.map((i) => i.id)).toEqual([s.incidents.d2]);
    const hidden = await app.inject({ url: `/api/incidents/${s.incidents.d1}`, headers: as(get('op-d2')) });
    expect(hidden.statusCode).toBe(404);
    const filtered = await app.inject({
      url: '/api/incidents?jurisdiction=D2&type=dust',
      headers: as(get('operator')),
    });
    expect(filtered.json()).toMatchObject({ total: 1 });
    // Enforcement sees nothing until a case is dispatched to its team.
    const enf = await app.inject({ url: '/api/incidents', headers: as(get('enforcement')) });
    expect(enf.json()).toMatchObject({ total: 0 });
  });

  it('shows an incident with its truck, evidence and GPS excerpt, and audits the view', async () => {
    const res = await app.inject({ url: `/api/incidents/${s.incidents.d1}`, headers: as(get('operator')) });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      vehicles: { plate: string; confidence: number; reason: string }[];
      track: unknown[];
      evidence: unknown[];
      explanation: unknown;
    }>();
    expect(body.vehicles[0]).toMatchObject({
      plate: '京A12345',
      company: '城建运输',
      reason: expect.stringContaining('GPS') as unknown,
    });
    expect(body.vehicles[0]?.confidence).toBeCloseTo(0.87, 5);
    expect(body.track).toHaveLength(10);
    expect(body.evidence).toHaveLength(3);
    expect(body.explanation).toEqual({ rule: 'dust', confidence: 0.91 });
    const audit = await readAudit(db.pool, { targetType: 'incident', targetId: String(s.incidents.d1) });
    expect(audit.map((a) => a.action)).toContain('incident.view');
  });

  it('runs the case lifecycle: register, dispatch, accept, handle, verify (rework), handle, verify, close', async () => {
    const id = s.incidents.d1;
    const op = get('operator');
    const enf = get('enforcement');
    const post = (l: Login, step: string, payload: object = {}) =>
      app.inject({ method: 'POST', url: `/api/incidents/${id}/${step}`, headers: as(l), payload });
    expect((await post(enf, 'register')).statusCode).toBe(403);
    expect((await post(op, 'handle', { note: 'x' })).statusCode).toBe(403);
    expect((await post(op, 'register', { note: '立案' })).json()).toMatchObject({
      status: 'registered',
      from: 'reported',
    });
    const wrongTeam = await post(get('op-d2'), 'dispatch', { teamId: s.teams.d1 });
    expect(wrongTeam.statusCode).toBe(404); // d2 operator cannot even see a D1 case
    const due = new Date(Date.now() + 3_600_000).toISOString();
    const d = await post(op, 'dispatch', { teamId: s.teams.d1, dueAt: due });
    expect(d.json()).toMatchObject({ status: 'dispatched', slaDueAt: due });
    expect((await post(op, 'close')).json()).toMatchObject({ code: 'MW_INCIDENT_TRANSITION' });
    const mine = await app.inject({ url: '/api/incidents', headers: as(enf) });
    expect(mine.json<{ items: { id: number }[] }>().items.map((i) => i.id)).toEqual([id]);
    expect((await post(enf, 'accept')).json()).toEqual({ ok: true });
    expect((await post(enf, 'handle', {})).statusCode).toBe(400);
    expect((await post(enf, 'handle', { note: '已清理路面' })).json()).toMatchObject({ status: 'handled' });
    expect((await post(op, 'verify', { passed: false, note: '仍有扬尘' })).json()).toMatchObject({
      status: 'rework',
    });
    await post(op, 'dispatch', { teamId: s.teams.d1 });
    await post(enf, 'handle', { note: '复查已清理' });
    expect((await post(op, 'verify', { passed: true })).json()).toMatchObject({ status: 'verified' });
    expect((await post(op, 'close')).json()).toMatchObject({ status: 'closed' });
    const detail = (await app.inject({ url: `/api/incidents/${id}`, headers: as(op) })).json<{
      transitions: { to: string }[];
      dispatches: { handledAt: string | null; notes: string }[];
      reworkCount: number;
    }>();
    expect(detail.transitions.map((t) => t.to)).toEqual([
      'registered',
      'dispatched',
      'handled',
      'rework',
      'dispatched',
      'handled',
      'verified',
      'closed',
    ]);
    expect(detail.reworkCount).toBe(1);
    expect(detail.dispatches.map((x) => x.notes)).toEqual(['已清理路面', '复查已清理']);
    const actions = (await readAudit(db.pool, { targetType: 'incident', targetId: String(id) })).map(
      (a) => a.action,
    );
    for (const a of [
      'incident.registered',
      'incident.dispatched',
      'incident.accept',
      'incident.handled',
      'incident.rework',
      'incident.verified',
      'incident.closed',
    ])
      expect(actions).toContain(a);
  });

  it('streams a clip with byte ranges and audits the view once', async () => {
    const url = `/api/evidence/${s.evidence.clip}/content`;
    const h = as(get('auditor'));
    const whole = await app.inject({ url, headers: h });
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.rawPayload.equals(s.clipBytes)).toBe(true);
    const part = await app.inject({ url, headers: { ...h, range: 'bytes=100-199' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${s.clipBytes.length}`);
    expect(part.rawPayload.equals(s.clipBytes.subarray(100, 200))).toBe(true);
    const tail = await app.inject({ url, headers: { ...h, range: 'bytes=-10' } });
    expect(tail.rawPayload.equals(s.clipBytes.subarray(-10))).toBe(true);
    const out = await app.inject({ url, headers: { ...h, range: 'bytes=999999-' } });
    expect(out.statusCode).toBe(416);
    expect(out.json()).toMatchObject({ code: 'MW_RANGE_NOT_SATISFIABLE' });
    const views = (
      await readAudit(db.pool, { targetType: 'evidence', targetId: String(s.evidence.clip) })
    ).filter((a) => a.action === 'evidence.view');
    expect(views).toHaveLength(1);
  });

  it('verifies a hash, holds evidence, exports a signed package and verifies the audit chain', async () => {
    const h = as(get('auditor'));
    const v = await app.inject({
      method: 'POST',
      url: `/api/evidence/${s.evidence.clip}/verify`,
      headers: h,
    });
    expect(v.json()).toMatchObject({ ok: true });
    const hold = await app.inject({
      method: 'PUT',
      url: `/api/evidence/${s.evidence.clip}/hold`,
      headers: h,
      payload: { hold: true },
    });
    expect(hold.json()).toEqual({ id: s.evidence.clip, legalHold: true });
    const exp = await app.inject({
      method: 'POST',
      url: `/api/incidents/${s.incidents.d1}/export`,
      headers: h,
    });
    expect(exp.statusCode).toBe(200);
    const { evidenceId, files } = exp.json<{ evidenceId: number; files: string[] }>();
    expect(files).toContain('incident.json');
    const zip = await app.inject({ url: `/api/evidence/${evidenceId}/content`, headers: h });
    expect(zip.headers['content-disposition']).toMatch(/attachment/);
    expect(verifyPackage(new Uint8Array(zip.rawPayload)).ok).toBe(true);
    const chain = await app.inject({ method: 'POST', url: '/api/audit/verify', headers: h });
    expect(chain.json()).toMatchObject({ ok: true, problems: [] });
    const log = await app.inject({ url: '/api/audit?action=evidence.download', headers: h });
    expect(log.json()).toMatchObject({ total: 1 });
    // Tamper with one row: the console names it.
    await db.pool.query(`UPDATE audit_log SET actor = 'mallory' WHERE id = (SELECT min(id) FROM audit_log)`);
    const broken = (await app.inject({ method: 'POST', url: '/api/audit/verify', headers: h })).json<{
      ok: boolean;
      problems: { kind: string }[];
    }>();
    expect(broken.ok).toBe(false);
    expect(broken.problems[0]?.kind).toBe('edited');
    expect(verifyChain(await readAudit(db.pool)).length).toBeGreaterThan(0);
  });

  it('lists cameras with health, latest truck positions and zones as GeoJSON', async () => {
    await publishCameraHealth(r.redis, r.ctx.prefix, 'node-a', [
      {
        cameraId: s.cameraId,
        state: 'streaming',
        since: Date.now(),
        fpsIn: 25,
        fpsOut: 5,
        framesOut: 10,
        dropped: 0,
        reconnects: 1,
        sourceResolution: { width: 1920, height: 1080 },
        lastError: null,
      },
    ]);
    await r.redis.hset(
      `${r.ctx.prefix}:gps:latest`,
      'dev1',
      JSON.stringify({
        deviceId: 'dev1',
        vehicleId: s.vehicleId,
        fixTime: new Date().toISOString(),
        lon: 116.36,
        lat: 39.95,
        speedKmh: 30,
        source: 'jt808',
        statusBits: 0,
        alarmBits: 0,
      }),
    );
    const h = as(get('operator'));
    const cams = (await app.inject({ url: '/api/cameras', headers: h })).json<
      { code: string; health: { state: string; node: string } | null }[]
    >();
    expect(cams[0]).toMatchObject({
      code: 'CAM-1',
      health: { state: 'streaming', node: 'node-a', stale: false },
    });
    const pos = (await app.inject({ url: '/api/vehicles/positions', headers: h })).json<{
      features: { properties: { plate: string } }[];
    }>();
    expect(pos.features[0]?.properties.plate).toBe('京A12345');
    const zones = (await app.inject({ url: '/api/zones', headers: h })).json<{
      type: string;
      features: { geometry: { type: string }; properties: { code: string } }[];
    }>();
    expect(zones.type).toBe('FeatureCollection');
    expect(zones.features.map((f) => f.properties.code)).toEqual(['D1', 'D2']);
    expect(zones.features[0]?.geometry.type).toBe('Polygon');
  });

  it('lets an admin create and disable a user, which ends their sessions', async () => {
    const h = as(get('admin'));
    const created = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: h,
      payload: {
        username: 'op2',
        displayName: '值班员二',
        password: 'longenough1',
        role: 'operator',
        jurisdictionCode: 'D1',
      },
    });
    expect(created.statusCode).toBe(200);
    const { id } = created.json<{ id: number }>();
    const op2 = await login(app, 'op2', 'longenough1');
    expect((await app.inject({ url: '/api/auth/me', headers: as(op2) })).statusCode).toBe(200);
    await app.inject({
      method: 'POST',
      url: `/api/users/${id}/disable`,
      headers: h,
      payload: { disabled: true },
    });
    const after = await app.inject({ url: '/api/auth/me', headers: as(op2) });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ code: 'MW_AUTH_REQUIRED' });
    const relogin = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'op2', password: 'longenough1' },
    });
    expect(relogin.statusCode).toBe(401);
  });

  it('pushes alerts on the live stream to users whose district they concern', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${String((app.server.address() as AddressInfo).port)}`;
    const open = async (l: Login) => {
      const ctrl = new AbortController();
      const res = await fetch(`${base}/api/stream`, { headers: { cookie: l.cookie }, signal: ctrl.signal });
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      const until = async (needle: string, ms: number): Promise<boolean> => {
        const deadline = Date.now() + ms;
        while (!text.includes(needle) && Date.now() < deadline) {
          const r = await Promise.race([
            reader.read(),
            new Promise<null>((res) =>
              setTimeout(() => {
                res(null);
              }, deadline - Date.now()),
            ),
          ]);
          if (r === null || r.done) break;
          text += new TextDecoder().decode(r.value);
        }
        return text.includes(needle);
      };
      return {
        until,
        close: () => {
          ctrl.abort();
        },
      };
    };
    const city = await open(get('operator'));
    const d2 = await open(get('op-d2'));
    await city.until(': connected', 5000);
    await d2.until(': connected', 5000);
    // Subscriptions are set up when the stream opens; give Redis a moment to register them.
    await new Promise((res) => setTimeout(res, 200));
    const msg = {
      event: 'created',
      incidentId: 999,
      type: 'dust',
      jurisdictionCode: 'D1',
      startedAt: new Date().toISOString(),
    };
    await r.redis.publish(alertsChannel(r.ctx.prefix), JSON.stringify(msg));
    expect(await city.until('"incidentId":999', 5000)).toBe(true);
    expect(await d2.until('"incidentId":999', 1000)).toBe(false);
    city.close();
    d2.close();
  });

  it('reports closure, on-time closure and rework rates, and ranks companies by violations', async () => {
    const kpi = async (l: Login) =>
      (await app.inject({ url: '/api/kpi', headers: as(l) })).json<{
        overall: { total: number; closed: number; closedOnTime: number; rework: number };
        byType: { key: string; total: number }[];
        byDistrict: { key: string; total: number }[];
        companies: { company: string; violations: number }[];
      }>();
    const k = await kpi(get('operator'));
    expect(k.overall).toMatchObject({ total: 2, closed: 1, closedOnTime: 1, rework: 1 });
    expect(k.byDistrict.map((d) => [d.key, d.total])).toEqual([
      ['D1', 1],
      ['D2', 1],
    ]);
    expect(k.byType).toEqual([expect.objectContaining({ key: 'dust', total: 2 })]);
    expect(k.companies).toEqual([{ company: '城建运输', violations: 1, vehicles: 1 }]);
    expect((await kpi(get('op-d2'))).overall).toMatchObject({ total: 1, closed: 0 });
    // A step finished after the deadline the previous step set: no longer on time.
    await db.pool.query(
      `UPDATE incident_transitions SET due_at = at - interval '1 second' WHERE incident_id = $1 AND to_status = 'registered'`,
      [s.incidents.d1],
    );
    expect((await kpi(get('operator'))).overall).toMatchObject({ closed: 1, closedOnTime: 0 });
  });

  it('stores an officer photo of the handling as evidence, refuses anything but JPEG, and audits it', async () => {
    const url = `/api/incidents/${s.incidents.d1}/photos`;
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      Buffer.from('photo of the cleaned road'),
    ]);
    const bad = await app.inject({
      method: 'POST',
      url,
      headers: as(get('enforcement')),
      payload: { jpegBase64: Buffer.from('GIF89a-not-a-jpeg').toString('base64') },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'MW_VALIDATION' });
    const other = await app.inject({
      method: 'POST',
      url: `/api/incidents/${s.incidents.d2}/photos`,
      headers: as(get('enforcement')),
      payload: { jpegBase64: jpeg.toString('base64') },
    });
    expect(other.statusCode).toBe(404); // not dispatched to this officer's team
    const ok = await app.inject({
      method: 'POST',
      url,
      headers: as(get('enforcement')),
      payload: { jpegBase64: jpeg.toString('base64') },
    });
    expect(ok.statusCode).toBe(200);
    const { evidenceId } = ok.json<{ evidenceId: number }>();
    const detail = (
      await app.inject({ url: `/api/incidents/${s.incidents.d1}`, headers: as(get('operator')) })
    ).json<{
      evidence: { id: number; kind: string; capturedBy: string | null; cameraId: number | null }[];
    }>();
    expect(detail.evidence.find((e) => e.id === evidenceId)).toMatchObject({
      kind: 'snapshot',
      capturedBy: 'enforcement',
      cameraId: null,
    });
    const file = await app.inject({
      url: `/api/evidence/${evidenceId}/content`,
      headers: as(get('auditor')),
    });
    expect(file.rawPayload.equals(jpeg)).toBe(true);
    const actions = (
      await readAudit(db.pool, { targetType: 'incident', targetId: String(s.incidents.d1) })
    ).map((a) => a.action);
    expect(actions).toContain('evidence.photo_added');
  });
});

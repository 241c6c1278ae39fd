import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerminalPresencePublisher } from '../core/index.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../core/testing/services.js';
import { Jt808Gateway, PgTerminalRegistry, TerminalClient } from '../ingest/index.js';
import { buildApp, type ConsoleApp } from './app.js';
import { as, login, seed, type Login } from './test-seed.js';

/** An open /api/stream, read as text as it comes. */
async function openStream(base: string, l: Login) {
  const ctrl = new AbortController();
  const res = await fetch(`${base}/api/stream`, { headers: { cookie: l.cookie }, signal: ctrl.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  const until = async (re: RegExp, ms: number): Promise<RegExpMatchArray | null> => {
    const deadline = Date.now() + ms;
    while (!re.test(text) && Date.now() < deadline) {
      const r = await Promise.race([
        reader.read(),
        new Promise<null>((res) =>
          setTimeout(
            () => {
              res(null);
            },
            Math.max(0, deadline - Date.now()),
          ),
        ),
      ]);
      if (r === null || r.done) break;
      text += new TextDecoder().decode(r.value);
    }
    return re.exec(text);
  };
  return {
    until,
    close: () => {
      ctrl.abort();
    },
  };
}

describe('GPS terminals online/offline on the console live stream', () => {
  let db: TestDatabase;
  let r: TestRedis;
  let app: ConsoleApp;
  let gateway: Jt808Gateway;
  let dir: string;
  let base: string;
  let gwPort: number;
  const who: Record<string, Login> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'mw-terminals-'));
    await seed(db.pool, dir); // the truck 京A12345
    await db.pool.query(`INSERT INTO terminals (terminal_id) VALUES ('013912345678')`);
    gateway = new Jt808Gateway({
      host: '127.0.0.1',
      port: 0,
      heartbeatTimeoutMs: 60_000,
      subpackageTimeoutMs: 10_000,
      registry: new PgTerminalRegistry(db.pool),
      // This terminal only logs in and leaves: positions are not what is tested here.
      intake: { submit: () => Promise.reject(new Error('no positions expected')) },
      presence: new TerminalPresencePublisher(r.redis, r.ctx.prefix, 'gw-test'),
    });
    gwPort = (await gateway.listen()).port;
    app = buildApp({ pool: db.pool, redis: r.redis, redisPrefix: r.ctx.prefix, dataDir: dir, web: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${String((app.server.address() as AddressInfo).port)}`;
    for (const u of ['operator', 'enforcement']) who[u] = await login(app, u);
  });
  afterAll(async () => {
    await gateway.close();
    await app.close();
    await db.cleanup();
    await r.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const terminals = async () =>
    (await app.inject({ url: '/api/terminals/presence', headers: as(who.operator as Login) })).json<
      { terminalId: string; plate: string | null; online: boolean; since: string | null }[]
    >();

  it('announces a terminal connecting and disconnecting, and lists it with its truck', async () => {
    expect(await terminals()).toEqual([
      { terminalId: '013912345678', vehicleId: null, plate: null, company: null, online: false, since: null },
    ]);
    const op = await openStream(base, who.operator as Login);
    const enf = await openStream(base, who.enforcement as Login);
    await op.until(/: connected/, 5000);
    await enf.until(/: connected/, 5000);
    await new Promise((res) => setTimeout(res, 200)); // the subscription is made as the stream opens

    const truck = new TerminalClient({ terminalId: '13912345678', plate: '京A12345' }, '127.0.0.1', gwPort);
    await truck.connect();
    expect((await truck.login()).authenticated).toBe(true);
    const online = await op.until(/event: terminal\ndata: (\{[^\n]*"online":true[^\n]*\})/, 5000);
    expect(JSON.parse(online?.[1] ?? '{}')).toMatchObject({
      kind: 'terminal',
      terminalId: '13912345678',
      online: true,
    });
    expect(await terminals()).toEqual([
      expect.objectContaining({
        terminalId: '013912345678',
        plate: '京A12345',
        company: '城建运输',
        online: true,
      }),
    ]);

    await truck.end();
    const offline = await op.until(/event: terminal\ndata: (\{[^\n]*"online":false[^\n]*\})/, 5000);
    expect(JSON.parse(offline?.[1] ?? '{}')).toMatchObject({ terminalId: '13912345678', online: false });
    expect((await terminals())[0]?.online).toBe(false);
    // Enforcement officers get their team's cases on the stream, not fleet telemetry.
    expect(await enf.until(/event: terminal/, 500)).toBeNull();
    op.close();
    enf.close();
  });
});

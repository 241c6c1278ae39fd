import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRedis, type TestRedis } from './testing/services.js';
import {
  readTerminalPresence,
  releaseNodeTerminals,
  setTerminalPresence,
  terminalPresenceChannel,
  type TerminalPresence,
} from './terminal-presence.js';

describe('terminal presence', () => {
  let r: TestRedis;
  beforeAll(() => {
    r = createTestRedis();
  });
  afterAll(async () => {
    await r.cleanup();
  });

  it('keeps the newest link: an old link closing late does not take a reconnected terminal offline', async () => {
    const prefix = `${r.ctx.prefix}:a`;
    const heard: TerminalPresence[] = [];
    const sub = r.redis.duplicate();
    sub.on('message', (_c: string, m: string) => heard.push(JSON.parse(m) as TerminalPresence));
    await sub.subscribe(terminalPresenceChannel(prefix));
    const base = { terminalId: '13800000001', vehicleId: 7, node: 'gw-1' };
    expect(await setTerminalPresence(r.redis, prefix, { ...base, online: true, since: 1, link: 'old' })).toBe(
      true,
    );
    expect(await setTerminalPresence(r.redis, prefix, { ...base, online: true, since: 2, link: 'new' })).toBe(
      true,
    );
    // The first link times out after the terminal came back on the second: ignored.
    expect(
      await setTerminalPresence(r.redis, prefix, { ...base, online: false, since: 3, link: 'old' }),
    ).toBe(false);
    expect((await readTerminalPresence(r.redis, prefix)).map((p) => [p.online, p.link])).toEqual([
      [true, 'new'],
    ]);
    expect(
      await setTerminalPresence(r.redis, prefix, { ...base, online: false, since: 4, link: 'new' }),
    ).toBe(true);
    expect((await readTerminalPresence(r.redis, prefix))[0]?.online).toBe(false);
    const end = Date.now() + 5000;
    while (heard.length < 3 && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
    expect(heard.map((p) => [p.online, p.link])).toEqual([
      [true, 'old'],
      [true, 'new'],
      [false, 'new'],
    ]);
    await sub.quit();
  });

  it('a restarting gateway node releases the terminals its last run left online, and only those', async () => {
    const prefix = `${r.ctx.prefix}:b`;
    const on = (terminalId: string, node: string): TerminalPresence => ({
      terminalId,
      vehicleId: null,
      online: true,
      since: 1,
      node,
      link: `${node}-${terminalId}`,
    });
    await setTerminalPresence(r.redis, prefix, on('1', 'gw-1'));
    await setTerminalPresence(r.redis, prefix, on('2', 'gw-2'));
    expect(await releaseNodeTerminals(r.redis, prefix, 'gw-1', 10)).toBe(1);
    const now = new Map((await readTerminalPresence(r.redis, prefix)).map((p) => [p.terminalId, p]));
    expect(now.get('1')).toMatchObject({ online: false, since: 10 });
    expect(now.get('2')).toMatchObject({ online: true });
  });
});

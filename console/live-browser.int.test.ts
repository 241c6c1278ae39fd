import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTerminalPresence } from '../core/index.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../core/testing/services.js';
import {
  frameCodeClip,
  frameCodeProbe,
  glassToGlassMs,
  startCameraSimulator,
  type CameraSimulator,
  type FrameSighting,
} from '../fixtures/index.js';
import { buildApp, type ConsoleApp } from './app.js';
import { seededServices, type SeededServices } from './test-admin.js';
import type { Seeded } from './test-seed.js';
import { HAS_CHROMIUM, SHOTS, serveToChromium, signIn } from './test-browser.js';

describe.skipIf(!HAS_CHROMIUM)('camera live view in a real browser (Debian chromium)', () => {
  let svc: SeededServices<TestDatabase, TestRedis>;
  let db: TestDatabase;
  let r: TestRedis;
  let app: ConsoleApp;
  let s: Seeded;
  let sim: CameraSimulator;
  let base: string;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    svc = await seededServices(await createTestDatabase(), createTestRedis(), 'mw-live-browser-');
    ({ db, r, s } = svc);
    const clip = frameCodeClip({ seconds: 8, cacheDir: join(tmpdir(), 'mw-test-clips') });
    sim = await startCameraSimulator({ streams: [{ path: 'gate', clips: [clip] }] });
    await db.pool.query('UPDATE cameras SET rtsp_main_url = $2 WHERE id = $1', [s.cameraId, sim.url('gate')]);
    app = buildApp({ pool: db.pool, redis: r.redis, redisPrefix: r.ctx.prefix, dataDir: svc.dir });
    ({ base, browser } = await serveToChromium(app));
  }, 120_000);
  afterAll(async () => {
    await browser.close();
    await app.close();
    await sim.stop();
    await svc.cleanup();
  });

  const logIn = (username: string): Promise<Page> =>
    signIn(browser, base, username, { width: 1280, height: 900 }, (page) => {
      page.on('pageerror', (e) => errors.push(`${username}: ${e.message}`));
    });

  /** Distinct frame codes seen on the live picture, with their glass-to-glass latencies. */
  const watch = async (page: Page, sightings: number): Promise<{ codes: number[]; latencies: number[] }> => {
    const seen = await page.evaluate<FrameSighting[]>(frameCodeProbe('#live-media', sightings, 30_000));
    return { codes: seen.map((x) => x.code), latencies: glassToGlassMs(seen, sim.timeBase('gate'), 25) };
  };

  it('an operator clicks a camera on the wall and its live picture plays (MSE), then with JSMpeg', async () => {
    const op = await logIn('operator');
    await op.goto(`${base}/#/cameras`);
    const tile = `.tile[data-id="${String(s.cameraId)}"] .tile-view.watchable`;
    await op.waitForSelector(tile);
    await op.click(tile);
    await op.waitForSelector('section.live-view[data-format="fmp4"] video#live-media');
    // The picture moves: the video clock advances and the burnt-in frame number changes.
    await op.waitForFunction("(document.querySelector('#live-media')?.currentTime ?? 0) > 0.5", undefined, {
      timeout: 30_000,
    });
    const mse = await watch(op, 12);
    expect(new Set(mse.codes).size).toBeGreaterThanOrEqual(10);
    expect(mse.latencies.length).toBeGreaterThanOrEqual(8);
    await op.screenshot({ path: join(SHOTS, 'camera-live.png') });

    await op.goto(`${base}/#/cameras/${String(s.cameraId)}/mpegts`);
    await op.waitForSelector('section.live-view[data-format="mpegts"] canvas#live-media');
    const jsmpeg = await watch(op, 12);
    expect(new Set(jsmpeg.codes).size).toBeGreaterThanOrEqual(10);
    expect(jsmpeg.latencies.length).toBeGreaterThanOrEqual(8);

    // Closing the view hangs up: the console's camera connection ends with its last viewer.
    await op.click('#close-live');
    await op.waitForSelector('#live-media', { state: 'detached' });
    const end = Date.now() + 15_000;
    while (sim.stats('gate').sessions > 0 && Date.now() < end)
      await new Promise((res) => setTimeout(res, 200));
    expect(sim.stats('gate').sessions).toBe(0);
    expect(errors).toEqual([]);
  });

  it('the map shows a truck terminal going online and offline as the gateway announces it', async () => {
    await db.pool.query(`INSERT INTO terminals (terminal_id, vehicle_id) VALUES ('013912345678', $1)`, [
      s.vehicleId,
    ]);
    const op = await logIn('operator');
    await op.goto(`${base}/#/map`);
    await op.waitForSelector('aside.term-panel');
    const announce = (online: boolean) =>
      setTerminalPresence(r.redis, r.ctx.prefix, {
        terminalId: '13912345678',
        vehicleId: s.vehicleId,
        online,
        since: Date.now(),
        node: 'gw-1',
        link: 'link-1',
      });
    // Announced until seen: the page's event stream may still be connecting when the first goes out.
    const until = async (online: boolean): Promise<void> => {
      const li = `#terminals li.term.${online ? 'on' : 'off'}[data-terminal="13912345678"]`;
      for (let i = 0; i < 30 && !(await op.$(li)); i++) {
        await announce(online);
        await op.waitForSelector(li, { timeout: 1000 }).catch(() => undefined);
      }
      expect(await op.$(li)).not.toBeNull();
    };
    await until(true);
    expect(await op.textContent('#terminals')).toContain('京A12345');
    await op.screenshot({ path: join(SHOTS, 'map-terminals.png') });
    await until(false);
  });

  it('an auditor sees the wall with health but no live view', async () => {
    const aud = await logIn('auditor');
    await aud.goto(`${base}/#/cameras/${String(s.cameraId)}`);
    await aud.waitForSelector(`.tile[data-id="${String(s.cameraId)}"]`);
    expect(await aud.$$('.tile-view.watchable')).toHaveLength(0);
    expect(await aud.$('#live-media')).toBeNull();
  });
});

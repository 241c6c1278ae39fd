import { join } from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, startPresence } from '../core/index.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../core/testing/services.js';
import { clipBase, startCameraSimulator, type CameraSimulator } from '../fixtures/index.js';
import { PipelineNode } from '../ingest/index.js';
import { DEFAULT_PARAMS, loadWorld } from '../rules/index.js';
import { buildApp, type ConsoleApp } from './app.js';
import { seededServices, type SeededServices } from './test-admin.js';
import type { Seeded } from './test-seed.js';
import { HAS_CHROMIUM, SHOTS, serveToChromium, signIn } from './test-browser.js';

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** Click the given fractions of a canvas (what an admin does when drawing a polygon). */
async function clickCanvas(page: Page, selector: string, points: [number, number][]): Promise<void> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  for (const [fx, fy] of points) await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
}

describe.skipIf(!HAS_CHROMIUM)('admin pages in a real browser (Debian chromium)', () => {
  let svc: SeededServices<TestDatabase, TestRedis>;
  let db: TestDatabase;
  let r: TestRedis;
  let app: ConsoleApp;
  let s: Seeded;
  let dir: string;
  let base: string;
  let browser: Browser;
  let sim: CameraSimulator;
  let node: PipelineNode;
  let presence: { stop: () => Promise<void> };
  const errors: string[] = [];

  beforeAll(async () => {
    svc = await seededServices(await createTestDatabase(), createTestRedis(), 'mw-admin-browser-');
    ({ db, r, dir, s } = svc);
    sim = await startCameraSimulator({
      streams: [{ path: 'gate', clips: [`${clipBase('dumping-gate')}.mp4`] }],
    });
    await db.pool.query(
      'UPDATE cameras SET rtsp_main_url = $2, detect_width = 320, detect_height = 320 WHERE id = $1',
      [s.cameraId, sim.url('gate')],
    );
    // A real pipeline node holds the camera: what it runs with is what "applied" means.
    const config = loadConfig({
      env: {
        NODE_ID: 'browser-node',
        REDIS_PREFIX: r.ctx.prefix,
        DATA_DIR: join(dir, 'node'),
        PIPELINE_TICK_S: '1',
      },
    });
    presence = startPresence(
      r.redis,
      r.ctx.prefix,
      { process: 'pipeline', node: 'browser-node', pid: 1, startedAt: '' },
      1000,
    );
    node = new PipelineNode({ pool: db.pool, redis: r.redis, log: pino({ level: 'silent' }), config });
    node.start();
    app = buildApp({
      pool: db.pool,
      redis: r.redis,
      redisPrefix: r.ctx.prefix,
      dataDir: dir,
      cameraTimeoutS: 8,
    });
    ({ base, browser } = await serveToChromium(app));
  });
  afterAll(async () => {
    await browser.close();
    await node.stop();
    await presence.stop();
    await app.close();
    await sim.stop();
    await svc.cleanup();
  });

  const logIn = (): Promise<Page> =>
    signIn(browser, base, 'admin', { width: 1440, height: 1000 }, (page) => {
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        // A refused snapshot or save shows in the page; only script errors count here.
        if (m.type() === 'error' && !m.text().includes('Failed to load resource')) errors.push(m.text());
      });
    });

  it('draws an image zone on the live snapshot, saves it, and the pipeline node runs with it', async () => {
    const page = await logIn();
    await page.goto(`${base}/#/setup-cameras`);
    await page.click('tr[data-camera="CAM-1"] button');
    await page.waitForSelector('#snapshot-canvas[data-loaded="true"]', { timeout: 30_000 });
    await page.selectOption('#zone-kind', 'no_vending');
    await page.fill('#zone-id', 'stall-corner');
    await page.click('#draw-image-zone');
    await clickCanvas(page, '#snapshot-canvas', [
      [0.1, 0.6],
      [0.4, 0.6],
      [0.4, 0.9],
      [0.1, 0.9],
    ]);
    await page.click('.image-zones .poly-finish');
    await page.waitForSelector('li[data-zone="stall-corner"]');
    await page.click('#save-image-zones');
    await page.waitForSelector('.image-zones .msg:text("已保存")');
    await page.screenshot({ path: join(SHOTS, 'admin-camera-zones.png'), fullPage: true });

    let zones = node.settingsOf(s.cameraId)?.zones ?? [];
    for (let i = 0; i < 100 && zones.length === 0; i++) {
      await sleep(200);
      zones = node.settingsOf(s.cameraId)?.zones ?? [];
    }
    expect(zones).toHaveLength(1);
    expect(zones[0]).toMatchObject({ id: 'stall-corner', kind: 'no_vending' });
    const poly = zones[0]?.polygon ?? [];
    expect(poly).toHaveLength(4);
    // Source-image pixels: the clip's frame is wider than the 640-pixel canvas it was drawn on.
    const xs = poly.map((p) => p[0]);
    expect(Math.max(...xs)).toBeGreaterThan(Math.min(...xs));

    // Heading and field of view: what the rules need to tell two trucks in view apart.
    await page.fill('#camera-heading', '30');
    await page.fill('#camera-hfov', '75');
    await page.click('#save-placement');
    await page.waitForSelector('.placement .msg:text("已保存")');
    const view = await db.pool.query<{ heading_deg: number; hfov_deg: number }>(
      'SELECT heading_deg, hfov_deg FROM cameras WHERE id = $1',
      [s.cameraId],
    );
    expect(view.rows).toEqual([{ heading_deg: 30, hfov_deg: 75 }]);
    expect(errors).toEqual([]);
  });

  it('draws a geo zone on the map, saves it, and the rules load it; a broken CSV dry run writes nothing', async () => {
    const page = await logIn();
    await page.goto(`${base}/#/setup-zones`);
    await page.waitForSelector('tr[data-zone="D1"]');
    await page.fill('#zone-code', 'NV-DRAWN');
    await page.fill('#zone-name', '东门禁止占道经营区');
    await page.selectOption('#zone-kind-geo', 'no_vending');
    await page.click('#draw-geo-zone');
    await clickCanvas(page, '#zones-map', [
      [0.3, 0.4],
      [0.45, 0.4],
      [0.45, 0.6],
      [0.3, 0.6],
    ]);
    await page.click('.zone-form .poly-finish');
    await page.click('#save-zone');
    await page.waitForSelector('tr[data-zone="NV-DRAWN"]');
    await page.screenshot({ path: join(SHOTS, 'admin-zones.png'), fullPage: true });

    const world = await loadWorld(db.pool, DEFAULT_PARAMS);
    const zone = world.world.zones.byZoneCode('NV-DRAWN');
    expect(zone?.kind).toBe('no_vending');
    const ring = zone?.polygons[0]?.[0] ?? [];
    expect(ring.length).toBe(4);
    const lon = ring.reduce((a, p) => a + p[0], 0) / ring.length;
    const lat = ring.reduce((a, p) => a + p[1], 0) / ring.length;
    expect(world.world.zones.at(lon, lat, Date.now()).map((z) => z.code)).toContain('NV-DRAWN');

    const before = await db.pool.query('SELECT count(*) FROM vehicles');
    await page.goto(`${base}/#/setup-fleet`);
    await page.waitForSelector('.fleet-table table');
    await page.fill('#csv-text', 'plate,company,load_sensor\n京E50001,城建运输,是\n京E50002,无此公司,否\n');
    await page.click('#csv-dry-run');
    await page.waitForSelector('#csv-report tr.row-error');
    expect(await page.locator('#csv-report tr.row-error').textContent()).toContain('无此公司');
    expect(await page.locator('#csv-report tbody tr').count()).toBe(2);
    expect((await db.pool.query('SELECT count(*) FROM vehicles')).rows).toEqual(before.rows);
    expect(errors).toEqual([]);
  });

  it('changes a user’s district on the users page', async () => {
    const page = await logIn();
    await page.goto(`${base}/#/users`);
    const row = page.locator('tr[data-user="op-d2"]');
    await row.locator('input').first().fill('D1');
    const [res] = await Promise.all([
      page.waitForResponse((x) => x.url().includes('/api/users/') && x.request().method() === 'PATCH'),
      row.locator('button').first().click(),
    ]);
    expect(res.status()).toBe(200);
    const { rows } = await db.pool.query<{ j: string }>(
      `SELECT jurisdiction_code j FROM users WHERE username = 'op-d2'`,
    );
    expect(rows[0]?.j).toBe('D1');
    expect(errors).toEqual([]);
  });
});

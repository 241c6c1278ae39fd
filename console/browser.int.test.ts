import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertMessage, alertsChannel, loadSla, upsertIncident, type IncidentDraft } from '../rules/index.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../core/testing/services.js';
import { buildApp, type ConsoleApp } from './app.js';
import { seededServices, type SeededServices } from './test-admin.js';
import type { Seeded } from './test-seed.js';
import { HAS_CHROMIUM, SHOTS, serveToChromium, signIn } from './test-browser.js';

describe.skipIf(!HAS_CHROMIUM)('console in a real browser (Debian chromium)', () => {
  let svc: SeededServices<TestDatabase, TestRedis>;
  let db: TestDatabase;
  let r: TestRedis;
  let app: ConsoleApp;
  let s: Seeded;
  let base: string;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    svc = await seededServices(await createTestDatabase(), createTestRedis(), 'mw-browser-');
    ({ db, r, s } = svc);
    app = buildApp({ pool: db.pool, redis: r.redis, redisPrefix: r.ctx.prefix, dataDir: svc.dir });
    ({ base, browser } = await serveToChromium(app));
  });
  afterAll(async () => {
    await browser.close();
    await app.close();
    await svc.cleanup();
  });

  const logIn = (username: string, viewport = { width: 1440, height: 900 }): Promise<Page> =>
    signIn(browser, base, username, viewport, (page) => {
      // Browser-side errors fail loudly in the test output instead of as a bare timeout.
      page.on('pageerror', (e) => errors.push(`${username}: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`${username}: ${m.text()}`);
      });
    });

  it('an operator sees an alert arrive live, opens it, registers and dispatches; enforcement handles; the case closes; an auditor verifies and exports', async () => {
    const op = await logIn('operator');
    await op.waitForSelector(`#feed li[data-id="${String(s.incidents.d1)}"]`);
    await op.waitForSelector('.live-dot.on');

    // The rules worker's path: upsert the incident, publish the alert.
    const draft: IncidentDraft = {
      dedupeKey: 'browser-alert-1',
      type: 'uncovered_load',
      cameraId: s.cameraId,
      jurisdictionCode: 'D1',
      location: [116.352, 39.951],
      startedAt: Date.now() - 60_000,
      endedAt: null,
      explanation: { camera: { detection: 'uncovered_load', confidence: 0.93 } },
      vehicles: [
        {
          vehicleId: s.vehicleId,
          confidence: 0.81,
          reason: 'only truck in the camera footprint at 14:02:11',
        },
      ],
    };
    const created = await upsertIncident(db.pool, draft, await loadSla(db.pool));
    const sent = Date.now();
    await r.redis.publish(
      alertsChannel(r.ctx.prefix),
      JSON.stringify(alertMessage(created.id, draft, 'created')),
    );
    const card = `#feed li[data-id="${String(created.id)}"]`;
    await op.waitForSelector(card, { timeout: 10_000 });
    const latencyMs = Date.now() - sent;
    expect(await op.textContent(card)).toContain('未苫盖');
    expect(latencyMs).toBeLessThan(10_000);

    await op.click(`#feed li[data-id="${String(s.incidents.d1)}"]`);
    await op.waitForSelector('#detail .plate');
    const detail = (await op.textContent('#detail')) ?? '';
    expect(detail).toContain('京A12345');
    expect(detail).toContain('87%');
    expect(detail).toContain('GPS track in camera view');
    // Predicates run in the page; written as strings because Node's types have no DOM.
    await op.waitForFunction(
      "(() => { const i = document.querySelector('#detail img.snapshot'); return !!i && i.complete && i.naturalWidth > 0; })()",
    );
    await op.screenshot({ path: join(SHOTS, 'operator-incident.png') });

    await op.click('#act-register');
    await op.waitForSelector('#act-dispatch');
    await op.waitForSelector(`#team option[value="${String(s.teams.d1)}"]`, { state: 'attached' });
    await op.selectOption('#team', String(s.teams.d1));
    await op.click('#act-dispatch');
    await op.waitForSelector('#detail .badge.st-dispatched');

    const enf = await logIn('enforcement', { width: 390, height: 844 });
    const task = `#tasks article[data-id="${String(s.incidents.d1)}"]`;
    await enf.waitForSelector(task);
    await enf.fill(`${task} textarea`, '已到场，渣土已清理');
    await enf.setInputFiles(`${task} input.photo`, {
      name: 'site.jpg',
      mimeType: 'image/jpeg',
      buffer: s.snapshotBytes,
    });
    await enf.screenshot({ path: join(SHOTS, 'enforcement-phone.png') });
    await enf.click(`${task} button.handle`);
    await enf.waitForSelector(task, { state: 'detached' });

    // The operator's page hears the change live and offers verification.
    await op.waitForSelector('#act-verify', { timeout: 10_000 });
    await op.waitForSelector('#detail .photos img'); // the officer's site photo
    await op.click('#act-verify');
    await op.waitForSelector('#act-close');
    await op.click('#act-close');
    await op.waitForSelector('#detail .badge.st-closed');

    const aud = await logIn('auditor');
    await aud.waitForSelector('#chain .badge.ok').catch(async (err: unknown) => {
      await aud.screenshot({ path: join(SHOTS, 'auditor-failed.png') });
      throw new Error(`${String(err)}\nbrowser errors:\n${errors.join('\n')}`);
    });
    await aud.click(`li.alert-card[data-id="${String(s.incidents.d1)}"]`);
    await aud.waitForSelector('#replay-video');
    await aud.waitForFunction("(document.querySelector('#replay-video')?.readyState ?? 0) >= 1", undefined, {
      timeout: 15_000,
    });
    // Seeking the clip moves the truck marker along the GPS track.
    await aud.evaluate("document.querySelector('#replay-video').currentTime = 12");
    await aud.waitForFunction(
      "Number(document.querySelector('#replay svg.track .cursor')?.getAttribute('cx')) > 0",
    );
    // Detection boxes are drawn over the clip at its playback time.
    await aud.waitForFunction(
      "Number(document.querySelector('#replay canvas.overlay')?.dataset.boxes ?? 0) > 0",
    );
    await aud.click('#replay .verify-btn');
    await aud.waitForSelector('#replay .badge.ok');
    await aud.click('#export');
    await aud.waitForSelector('#export-result .badge.ok', { timeout: 20_000 });
    await aud.waitForFunction("(document.querySelector('#replay-video')?.readyState ?? 0) >= 1");
    await aud.evaluate("document.querySelector('#replay-video').currentTime = 12");
    await aud.waitForFunction(
      "Number(document.querySelector('#replay canvas.overlay')?.dataset.boxes ?? 0) > 0",
    );
    await aud.waitForTimeout(300); // let the seeked frame paint under the boxes
    await aud.screenshot({ path: join(SHOTS, 'auditor-replay.png'), fullPage: true });

    await aud.goto(`${base}/#/kpi`);
    await aud.waitForSelector('#kpi .card');
    expect(await aud.textContent('#kpi')).toContain('城建运输');
    await aud.screenshot({ path: join(SHOTS, 'auditor-kpi.png') });

    const admin = await logIn('admin');
    await admin.goto(`${base}/#/users`);
    await admin.fill('input[name="new-username"]', 'officer2');
    await admin.fill('input[type="password"]', 'longenough2');
    await admin.click('.user-form button.primary');
    await admin.waitForSelector('td:text-is("officer2")');

    const map = await logIn('operator');
    await map.goto(`${base}/#/map`);
    await map.waitForFunction("Number(document.querySelector('#map')?.dataset.frameMs ?? -1) >= 0");
    await map.screenshot({ path: join(SHOTS, 'operator-map.png') });
  });
});

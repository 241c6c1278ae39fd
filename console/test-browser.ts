import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ConsoleApp } from './app.js';
import { PASSWORD } from './test-seed.js';

/** Debian's chromium, driven headless by the browser tests and the console benchmarks. */
export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
/** Screenshots are kept as test artifacts (ignored by git, under .data/). */
export const SHOTS = join('.data', 'test-artifacts', 'console');

export function launchChromium(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Serves the console on a free local port and launches Chromium: the console's base URL and the browser. */
export async function serveToChromium(app: ConsoleApp): Promise<{ base: string; browser: Browser }> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${String((app.server.address() as AddressInfo).port)}`;
  return { base, browser: await launchChromium() };
}

/**
 * A new zh-CN page signed in as `username` (test password), once the console's top bar shows.
 * `watch` sees the page before it loads, to collect browser-side errors.
 */
export async function signIn(
  browser: Browser,
  base: string,
  username: string,
  viewport: { width: number; height: number },
  watch: (page: Page) => void,
): Promise<Page> {
  const page = await (await browser.newContext({ viewport, locale: 'zh-CN' })).newPage();
  watch(page);
  await page.goto(base);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('#login');
  await page.waitForSelector('header.topbar');
  return page;
}

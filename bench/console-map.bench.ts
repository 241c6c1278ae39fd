/**
 * Offline map with 5,000 live trucks: the canvas redraw time in headless chromium (software
 * rendering, --disable-gpu) while every position changes every 10 s. Reported: p95 of the
 * redraws measured by the page itself (canvas data-frame-ms) over a series of pans.
 */
import { percentile, startBenchConsole } from './console-lib.js';
import type { Benchmark } from './record.js';

const TRUCKS = 5000;

const bench: Benchmark = {
  name: 'console-map',
  async run() {
    const c = await startBenchConsole();
    try {
      await c.pool.query(
        `INSERT INTO zones (kind, code, name, geom) VALUES
         ('jurisdiction', 'D1', '东城区', ST_GeomFromText('POLYGON((116.2 39.8, 116.6 39.8, 116.6 40.1, 116.2 40.1, 116.2 39.8))', 4326))`,
      );
      const fields: string[] = [];
      for (let i = 0; i < TRUCKS; i++) {
        const p = {
          deviceId: `d${String(i)}`,
          fixTime: new Date().toISOString(),
          lon: 116.2 + Math.random() * 0.4,
          lat: 39.8 + Math.random() * 0.3,
          source: 'jt808',
          statusBits: 0,
          alarmBits: 0,
          loadState: i % 3 === 0 ? 'full' : 'empty',
        };
        fields.push(p.deviceId, JSON.stringify(p));
      }
      await c.redis.hset(`${c.prefix}:gps:latest`, ...fields);
      const page = await c.login('map');
      await page.waitForFunction(
        `document.querySelector('.map-info')?.textContent?.includes('${String(TRUCKS)}')`,
      );
      const frames: number[] = [];
      const box = await page.locator('#map').boundingBox();
      if (!box) throw new Error('map not drawn');
      await page.mouse.move(box.x + 400, box.y + 400);
      await page.mouse.down();
      for (let i = 0; i < 40; i++) {
        await page.mouse.move(box.x + 400 + (i % 10) * 5, box.y + 400 + i);
        frames.push(Number(await page.locator('#map').getAttribute('data-frame-ms')));
      }
      await page.mouse.up();
      process.stdout.write(
        `console-map: median ${String(percentile(frames, 50))} ms over ${String(frames.length)} redraws\n`,
      );
      return {
        metric: `map redraw with ${String(TRUCKS)} trucks (p95, software rendering)`,
        value: percentile(frames, 95),
        unit: 'ms',
        baseline: null,
        target: 'responsive (< 50 ms per frame)',
      };
    } finally {
      await c.close();
    }
  },
};
export default bench;

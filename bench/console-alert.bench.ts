/**
 * Alert latency: from the rules worker's publish of a new incident's alert (after the incident
 * row is committed) to the card being in the operator's live feed in headless chromium.
 * Target: ≤ 1 s (issue 10). Reported: p95 over 20 alerts; the median goes in the notes.
 */
import { alertMessage, alertsChannel, loadSla, upsertIncident, type IncidentDraft } from '../rules/index.js';
import { percentile, startBenchConsole } from './console-lib.js';
import type { Benchmark } from './record.js';

const ALERTS = 20;

const bench: Benchmark = {
  name: 'console-alert',
  async run() {
    const c = await startBenchConsole();
    try {
      const page = await c.login('alerts');
      await page.waitForSelector('.live-dot.on');
      const sla = await loadSla(c.pool);
      const latencies: number[] = [];
      for (let i = 0; i < ALERTS; i++) {
        const draft: IncidentDraft = {
          dedupeKey: `bench-${String(i)}`,
          type: 'dust',
          cameraId: null,
          jurisdictionCode: 'D1',
          location: [116.35, 39.95],
          startedAt: Date.now(),
          endedAt: null,
          explanation: {},
          vehicles: [],
        };
        const t0 = Date.now();
        const r = await upsertIncident(c.pool, draft, sla);
        await c.redis.publish(alertsChannel(c.prefix), JSON.stringify(alertMessage(r.id, draft, 'created')));
        await page.waitForSelector(`#feed li[data-id="${String(r.id)}"]`, { timeout: 30_000 });
        latencies.push(Date.now() - t0);
      }
      process.stdout.write(
        `console-alert: median ${String(percentile(latencies, 50))} ms, all ${latencies.join(' ')}\n`,
      );
      return {
        metric: 'alert visible in browser after incident created (p95)',
        value: percentile(latencies, 95),
        unit: 'ms',
        baseline: null,
        target: '≤ 1000 ms',
      };
    } finally {
      await c.close();
    }
  },
};
export default bench;

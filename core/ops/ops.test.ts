import { afterEach, describe, expect, it } from 'vitest';
import { Health } from './health.js';
import { Metrics } from './metrics.js';
import { startOpsServer, type OpsServer } from './server.js';

const servers: OpsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(metrics: Metrics, health: Health): Promise<string> {
  const s = await startOpsServer({ host: '127.0.0.1', port: 0, metrics, health });
  servers.push(s);
  return `http://127.0.0.1:${s.port}`;
}

describe('metrics', () => {
  it('reads owned totals and gauges at scrape time, labelled with process and node', async () => {
    const m = new Metrics('pipeline', 'node-a');
    const stats = { frames: 10, held: new Map([[3, 'streaming']]) };
    m.counterOf('muckwatch_frames_total', 'frames', ['camera'], () => [[{ camera: 3 }, stats.frames]]);
    m.gaugeOf('muckwatch_cameras_held', 'cameras held', [], () => stats.held.size);
    const h = m.histogram('muckwatch_inference_seconds', 'batch time', [0.005, 0.01, 0.05]);
    h.observe(0.007);

    const first = await m.text();
    expect(first).toMatch(/muckwatch_frames_total\{camera="3",process="pipeline",node="node-a"\} 10/);
    expect(first).toMatch(/muckwatch_cameras_held\{process="pipeline",node="node-a"\} 1/);
    expect(first).toMatch(
      /muckwatch_inference_seconds_bucket\{le="0.01",process="pipeline",node="node-a"\} 1/,
    );
    expect(first).toMatch(/^process_cpu_user_seconds_total/m);

    stats.frames = 25;
    stats.held.clear();
    const second = await m.text();
    expect(second).toMatch(/muckwatch_frames_total\{camera="3",process="pipeline",node="node-a"\} 25/);
    expect(second).toMatch(/muckwatch_cameras_held\{process="pipeline",node="node-a"\} 0/);
  });
});

describe('health', () => {
  it('reports every check, failing with the reason when one throws or hangs', async () => {
    const h = new Health('rules-worker', 'n1', 50);
    h.add('database', () => Promise.resolve('ok'));
    expect((await h.report()).status).toBe('ok');
    h.add('redis', () => Promise.reject(new Error('connection refused')));
    h.add('slow', () => new Promise(() => undefined));
    const r = await h.report();
    expect(r.status).toBe('failing');
    expect(r.checks.database?.ok).toBe(true);
    expect(r.checks.redis).toMatchObject({ ok: false, error: 'connection refused' });
    expect(r.checks.slow?.error).toMatch(/no answer within 50 ms/);
  });
});

describe('ops server', () => {
  it('serves /metrics as Prometheus text and /health as 200 or 503', async () => {
    const m = new Metrics('console', 'n1');
    m.gaugeOf('muckwatch_sse_clients', 'clients', [], () => 2);
    const h = new Health('console', 'n1');
    let dbUp = true;
    h.add('database', () => (dbUp ? Promise.resolve() : Promise.reject(new Error('database down'))));
    const base = await serve(m, h);

    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/text\/plain/);
    expect(await metrics.text()).toMatch(/muckwatch_sse_clients\{process="console",node="n1"\} 2/);

    const ok = await fetch(`${base}/health`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      status: 'ok',
      process: 'console',
      checks: { database: { ok: true } },
    });

    dbUp = false;
    const bad = await fetch(`${base}/health`);
    expect(bad.status).toBe(503);
    expect(await bad.json()).toMatchObject({
      status: 'failing',
      checks: { database: { ok: false, error: 'database down' } },
    });

    const other = await fetch(`${base}/nope`);
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ code: 'MW_NOT_FOUND' });
  });

  it('refuses a taken port with a coded error that says what to set', async () => {
    const taken = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      metrics: new Metrics('a', 'n'),
      health: new Health('a', 'n'),
    });
    servers.push(taken);
    await expect(
      startOpsServer({
        host: '127.0.0.1',
        port: taken.port,
        metrics: new Metrics('b', 'n'),
        health: new Health('b', 'n'),
      }),
    ).rejects.toThrow(/OPS_PORT=\d+ \(metrics and health\) is in use/);
  });

  it('reports a collector that throws as a 500 with a code, and keeps serving', async () => {
    const m = new Metrics('pipeline', 'n1');
    let fail = true;
    m.gaugeOf('muckwatch_queue_depth', 'depth', [], () => {
      if (fail) throw new Error('redis gone');
      return 4;
    });
    const base = await serve(m, new Health('pipeline', 'n1'));
    const r = await fetch(`${base}/metrics`);
    expect(r.status).toBe(500);
    const body = (await r.json()) as { code: string; message: string };
    expect(body.code).toBe('MW_METRICS_FAILED');
    expect(body.message).toMatch(/redis gone/);
    fail = false;
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/muckwatch_queue_depth\{[^}]*\} 4/);
  });
});

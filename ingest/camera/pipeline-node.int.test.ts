import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, readCameraHealth, startPresence } from '../../core/index.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../../core/testing/services.js';
import { PipelineNode } from './pipeline-node.js';
import { testPatternClip as makeClip } from '../../fixtures/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pipeline nodes share cameras through Redis leases', () => {
  let db: TestDatabase;
  let r: TestRedis;
  beforeAll(async () => {
    db = await createTestDatabase();
    r = createTestRedis();
    const clip = makeClip({ width: 64, height: 48, seconds: 60, fps: 10 });
    for (let i = 1; i <= 8; i++) {
      await db.pool.query(
        `INSERT INTO cameras (code, name, rtsp_main_url, detect_fps, detect_width, detect_height)
         VALUES ($1, $1, $2, 2, 64, 64)`,
        [`cam-${String(i)}`, clip],
      );
    }
  });
  afterAll(async () => {
    await db.cleanup();
    await r.cleanup();
  });

  const changed: number[] = [];
  const node = (id: string) => {
    const config = loadConfig({
      env: {
        NODE_ID: id,
        REDIS_PREFIX: r.ctx.prefix,
        DATA_DIR: mkdtempSync(join(tmpdir(), `mw-${id}-`)),
        PIPELINE_LEASE_TTL_S: '4',
        PIPELINE_TICK_S: '1',
      },
    });
    const presence = startPresence(
      r.redis,
      r.ctx.prefix,
      { process: 'pipeline', node: id, pid: 1, startedAt: '' },
      1000,
    );
    return {
      presence,
      node: new PipelineNode({
        pool: db.pool,
        redis: r.redis,
        log: pino({ level: 'silent' }),
        config,
        onCameraChanged: (cameraId) => changed.push(cameraId),
      }),
    };
  };

  it('split 8 cameras; a dead node loses its cameras to the other within 15 s; never two holders', async () => {
    const a = node('node-a');
    const b = node('node-b');
    let overlap = 0;
    const sampler = setInterval(() => {
      const ha = a.node.heldCameras();
      for (const id of b.node.heldCameras().keys()) if (ha.has(id)) overlap++;
    }, 50);
    a.node.start();
    b.node.start();
    const until = Date.now() + 15_000;
    while (a.node.heldCameras().size + b.node.heldCameras().size < 8 && Date.now() < until) await sleep(200);
    expect(a.node.heldCameras().size).toBe(4);
    expect(b.node.heldCameras().size).toBe(4);

    const diedAt = Date.now();
    await a.node.abandon(); // crash: leases are not handed back
    await a.presence.stop();
    while (b.node.heldCameras().size < 8 && Date.now() - diedAt < 20_000) await sleep(200);
    const failoverMs = Date.now() - diedAt;
    expect(b.node.heldCameras().size).toBe(8);
    expect(failoverMs).toBeLessThan(15_000);

    // A camera disabled in the database is dropped without a restart.
    await db.pool.query("UPDATE cameras SET enabled = false WHERE code = 'cam-1'");
    const t = Date.now();
    while (b.node.heldCameras().size > 7 && Date.now() - t < 5000) await sleep(100);
    expect(b.node.heldCameras().size).toBe(7);

    // An edited setting reaches the node without a restart of the process.
    const editedRows = await db.pool.query<{ id: string }>(
      "UPDATE cameras SET loitering_s = 30 WHERE code = 'cam-2' RETURNING id",
    );
    const edited = Number(editedRows.rows[0]?.id);
    const t2 = Date.now();
    while (!changed.includes(edited) && Date.now() - t2 < 5000) await sleep(100);
    expect(changed).toContain(edited);
    expect(b.node.settingsOf(edited)?.loiteringS).toBe(30);

    clearInterval(sampler);
    expect(overlap).toBe(0);
    // Fencing tokens only grow: the cameras b took over carry newer tokens than a's.
    expect(Math.max(...b.node.heldCameras().values())).toBeGreaterThanOrEqual(2);
    // Health reaches the console through Redis, naming the node that holds each camera.
    const reports = await readCameraHealth(r.redis, r.ctx.prefix, 10_000);
    expect(
      [...reports.values()].filter((h) => h.node === 'node-b' && !h.stale).length,
    ).toBeGreaterThanOrEqual(7);
    await b.node.stop();
    await b.presence.stop();
    const { rows } = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM recording_segments');
    expect(Number(rows[0]?.n)).toBeGreaterThan(0);
  }, 60_000);
});

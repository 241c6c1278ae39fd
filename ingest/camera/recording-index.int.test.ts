import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../core/testing/services.js';
import { RecordingIndex } from './recording-index.js';

describe('recording index and retention in PostgreSQL', () => {
  let db: TestDatabase;
  let index: RecordingIndex;
  let cameraId: number;
  const dir = mkdtempSync(join(tmpdir(), 'mw-ring-'));
  const T = Date.parse('2026-11-27T08:00:00Z');
  const path = (i: number) => join(dir, `seg${String(i)}.ts`);

  beforeAll(async () => {
    db = await createTestDatabase();
    index = new RecordingIndex(db.pool);
    const cam = await db.pool.query<{ id: string }>(
      "INSERT INTO cameras (code, name, rtsp_main_url) VALUES ('c1', 'c1', 'rtsp://x') RETURNING id",
    );
    cameraId = Number(cam.rows[0]?.id);
    for (let i = 0; i < 10; i++) {
      writeFileSync(path(i), Buffer.alloc(1000));
      await index.addSegment(
        { cameraId, path: path(i), startMs: T + i * 4000, endMs: T + (i + 1) * 4000, bytes: 1000 },
        'node-a',
        1,
      );
    }
    await index.addGap({ cameraId, startMs: T + 40_000, endMs: T + 45_000, cause: 'the stream ended' });
  });
  afterAll(async () => {
    await db.cleanup();
  });

  it('maps a time range to its segments and gaps', async () => {
    const c = await index.cover(cameraId, T + 5000, T + 13_000);
    expect(c.segments.map((s) => s.path)).toEqual([path(1), path(2), path(3)]);
    expect((await index.cover(cameraId, T + 39_000, T + 50_000)).gaps).toEqual([
      { startMs: T + 40_000, endMs: T + 45_000, cause: 'the stream ended' },
    ]);
  });

  it('deletes oldest first to the budget, never a held segment, and keeps the index in step with the disk', async () => {
    await index.hold(cameraId, T + 4500, T + 9000, 'evidence'); // segments 1 and 2
    const r = await index.applyRetention(cameraId, 'node-a', { maxAgeMs: 1e12, maxBytes: 5000 }, T + 60_000);
    expect(r.deleted).toBe(5); // 0, 3, 4, 5, 6 go; 1 and 2 are held; 7, 8, 9 fit
    expect([0, 3, 4, 5, 6].map((i) => existsSync(path(i)))).toEqual([false, false, false, false, false]);
    expect([1, 2, 7, 8, 9].map((i) => existsSync(path(i)))).toEqual([true, true, true, true, true]);
    const left = await index.cover(cameraId, T, T + 40_000);
    expect(left.segments.map((s) => s.path)).toEqual([1, 2, 7, 8, 9].map(path));
    // Everything else past its age: still the held ones survive, and the budget overrun is reported.
    const r2 = await index.applyRetention(cameraId, 'node-a', { maxAgeMs: 0, maxBytes: 0 }, T + 60_000);
    expect(r2.deleted).toBe(3);
    expect(r2.overBudgetBytes).toBe(2000);
    expect([1, 2].map((i) => existsSync(path(i)))).toEqual([true, true]);
  });
});

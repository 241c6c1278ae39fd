import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptCredentials } from '../../core/index.js';
import { createTestDatabase, type TestDatabase } from '../../core/testing/services.js';
import { loadEnabledCameras } from './camera-repo.js';

describe('cameras a pipeline node runs', () => {
  let db: TestDatabase;
  const key = randomBytes(32);
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(
      `INSERT INTO cameras (code, name, rtsp_main_url, rtsp_sub_url, credentials_enc) VALUES
         ('gate', 'Gate', 'rtsp://10.0.0.5/main', 'rtsp://10.0.0.5/sub', $1),
         ('street', 'Street', 'rtsp://10.0.0.6/main', NULL, NULL)`,
      [encryptCredentials(key, { user: 'viewer', pass: 's3cret' })],
    );
  });
  afterAll(async () => {
    await db.cleanup();
  });

  it('analyse the sub stream where one is set (with the camera credentials), else the main stream', async () => {
    const cams = await loadEnabledCameras(db.pool, () => key);
    expect(cams.map((c) => [c.code, c.url, c.detectUrl])).toEqual([
      ['gate', 'rtsp://viewer:s3cret@10.0.0.5/main', 'rtsp://viewer:s3cret@10.0.0.5/sub'],
      ['street', 'rtsp://10.0.0.6/main', null],
    ]);
  });
});

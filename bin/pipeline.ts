import { join } from 'node:path';
import { EvidenceStore, clipQueueFor, runProcess, typedWorker } from '../core/index.js';
import { PipelineNode, RecordingIndex, makeClipEvidence } from '../ingest/index.js';

// Wiring: config → db (migrated) → redis + presence → camera leases and supervisors → evidence clips.
runProcess('pipeline', (rt) => {
  const { config, pool } = rt;
  const node = new PipelineNode({ pool, redis: rt.redis, log: rt.log, config });
  node.start();

  const store = new EvidenceStore(pool, join(config.paths.dataDir, 'evidence'));
  const index = new RecordingIndex(pool);
  const clips = typedWorker(
    'clips',
    rt.queues,
    (job) => makeClipEvidence({ pool, store, index, ffmpeg: config.paths.ffmpeg, graceMs: 120_000 }, job),
    { physicalName: clipQueueFor(config.node.id), concurrency: 1 },
  );

  return Promise.resolve(async () => {
    await clips.close();
    await node.stop();
  });
});

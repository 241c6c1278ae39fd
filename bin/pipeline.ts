import { join } from 'node:path';
import { EvidenceStore, TypedQueue, clipQueueFor, runProcess, typedWorker } from '../core/index.js';
import {
  CameraAnalysis,
  DetectionWriter,
  InferenceEngine,
  type FrameDetections,
} from '../inference/index.js';
import { PipelineNode, RecordingIndex, makeClipEvidence } from '../ingest/index.js';
import { toCameraEventPayload, type CameraEvent } from '../rules/index.js';

// Wiring: config → db (migrated) → redis + presence → detector → camera leases and supervisors
// → tracks and camera events → evidence clips.
runProcess('pipeline', async (rt) => {
  const { config, pool, log } = rt;
  const events = new TypedQueue('camera-events', rt.queues);
  const writer = new DetectionWriter(pool);
  const send = (list: readonly CameraEvent[]): void => {
    for (const e of list) {
      void events.add(toCameraEventPayload(e)).catch((err: unknown) => {
        log.error({ err: String(err), event: e.key }, 'camera event not queued');
      });
    }
  };

  let node: PipelineNode | null = null;
  const analysis = new CameraAnalysis({
    rulesFor: () => ({}),
    zonesFor: (id) => node?.settingsOf(id)?.zones ?? [],
  });
  const modelName = config.inference.model;
  const onResult = (r: FrameDetections): void => {
    const { tracks, events: found } = analysis.onDetections(r);
    writer.add(
      tracks.flatMap((t) => {
        const d = t.detIndex === null ? undefined : r.detections[t.detIndex];
        return d
          ? [
              {
                cameraId: r.cameraId,
                frameTime: r.time,
                frameSeq: r.seq,
                cls: d.cls,
                confidence: d.score,
                box: d.box,
                trackId: t.id,
                model: modelName,
              },
            ]
          : [];
      }),
    );
    send(found);
  };
  const engine = modelName
    ? await InferenceEngine.open({
        manifestPath: modelName,
        workers: config.inference.workers,
        intraOpThreads: config.inference.threads,
        maxBatch: config.inference.maxBatch,
        perCameraQueue: config.inference.queuePerCamera,
        onResult,
        onError: (err) => {
          log.error({ err: err.message }, 'inference batch failed');
        },
      })
    : null;
  if (!engine) log.warn('INFERENCE_MODEL is empty: recording only, no detection');

  node = new PipelineNode({
    pool,
    redis: rt.redis,
    log,
    config,
    ...(engine
      ? {
          onFrame: (f) => {
            engine.submit(f);
          },
        }
      : {}),
    onCameraStopped: (id) => {
      engine?.forgetCamera(id);
      send(analysis.closeCamera(id));
    },
  });
  node.start();

  const store = new EvidenceStore(pool, join(config.paths.dataDir, 'evidence'));
  const index = new RecordingIndex(pool);
  const clips = typedWorker(
    'clips',
    rt.queues,
    (job) => makeClipEvidence({ pool, store, index, ffmpeg: config.paths.ffmpeg, graceMs: 120_000 }, job),
    { physicalName: clipQueueFor(config.node.id), concurrency: 1 },
  );

  return async () => {
    await clips.close();
    await node.stop();
    await engine?.close();
    await writer.close();
    await events.close();
  };
});

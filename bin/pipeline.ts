import { join } from 'node:path';
import {
  EvidenceStore,
  TypedQueue,
  clipQueueFor,
  loadOrCreateSecretKey,
  queueDepthMetrics,
  runProcess,
  typedWorker,
} from '../core/index.js';
import {
  CameraAnalysis,
  DetectionWriter,
  InferenceEngine,
  thresholdsOf,
  type FrameDetections,
} from '../inference/index.js';
import { PipelineNode, RecordingIndex, makeClipEvidence } from '../ingest/index.js';
import { toCameraEventPayload, type CameraEvent } from '../rules/index.js';
import { pipelineMetrics } from './ops/pipeline-metrics.js';

// Wiring: config → db (migrated) → redis + presence → detector → camera leases and supervisors
// → tracks and camera events → evidence clips.
runProcess('pipeline', async (rt, ops) => {
  const { config, pool, log } = rt;
  const events = new TypedQueue('camera-events', rt.queues);
  const writer = new DetectionWriter(pool);
  let node: PipelineNode | null = null;
  let engine: InferenceEngine | null = null;
  const observed = pipelineMetrics(ops.metrics, {
    cameras: () => node?.cameras() ?? [],
    engine: () => engine?.stats() ?? null,
  });
  const send = (list: readonly CameraEvent[]): void => {
    observed.onEvents(list);
    for (const e of list) {
      void events.add(toCameraEventPayload(e)).catch((err: unknown) => {
        log.error({ err: String(err), event: e.key }, 'camera event not queued');
      });
    }
  };

  const modelName = config.inference.model;
  // Class thresholds are applied by the event rules and the detection log, not by the decoder:
  // the tracker needs the low-score boxes to keep ids through occlusions.
  let minScore = new Map<string, number>();
  const analysis = new CameraAnalysis({
    rulesFor: (id) => {
      const cam = node?.settingsOf(id);
      return { scoreThreshold: Object.fromEntries(minScore), ...(cam ? { loiteringS: cam.loiteringS } : {}) };
    },
    zonesFor: (id) => node?.settingsOf(id)?.zones ?? [],
  });
  const onResult = (r: FrameDetections): void => {
    const { tracks, events: found } = analysis.onDetections(r);
    const kept = tracks.flatMap((t) => {
      const d = t.detIndex === null ? undefined : r.detections[t.detIndex];
      return d && d.score >= (minScore.get(d.cls) ?? 0)
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
    });
    observed.onResult(r, kept);
    writer.add(kept);
    send(found);
  };
  engine = modelName
    ? await InferenceEngine.open({
        manifestPath: modelName,
        workers: config.inference.workers,
        intraOpThreads: config.inference.threads,
        maxBatch: config.inference.maxBatch,
        perCameraQueue: config.inference.queuePerCamera,
        scoreFloor: 0.1,
        onResult,
        onError: (err) => {
          log.error({ err: err.message }, 'inference batch failed');
        },
      })
    : null;
  if (engine) {
    const t = thresholdsOf(engine.manifest);
    minScore = new Map(engine.manifest.classes.map((c, i) => [c, t[i] ?? 0.5]));
  } else log.warn('INFERENCE_MODEL is empty: recording only, no detection');

  let secretKey: Buffer | null = null;
  node = new PipelineNode({
    pool,
    redis: rt.redis,
    log,
    config,
    secretKey: () => (secretKey ??= loadOrCreateSecretKey(config.secrets.key, config.paths.dataDir)),
    ...(engine
      ? { frameSize: { width: engine.manifest.input.width, height: engine.manifest.input.height } }
      : {}),
    ...(engine
      ? {
          onFrame: (f) => {
            engine.submit(f);
          },
        }
      : {}),
    onCameraChanged: (id) => {
      analysis.reconfigure(id);
    },
    onCameraStopped: (id) => {
      engine?.forgetCamera(id);
      send(analysis.closeCamera(id));
    },
  });
  node.start();

  const store = new EvidenceStore(pool, join(config.paths.dataDir, 'evidence'));
  const index = new RecordingIndex(pool);
  const depths = queueDepthMetrics(ops.metrics, rt.queues, [clipQueueFor(config.node.id)]);
  const clips = typedWorker(
    'clips',
    rt.queues,
    (job) => makeClipEvidence({ pool, store, index, ffmpeg: config.paths.ffmpeg, graceMs: 120_000 }, job),
    { physicalName: clipQueueFor(config.node.id), concurrency: 1 },
  );

  return async () => {
    await clips.close();
    await depths.close();
    await node.stop();
    await engine?.close();
    await writer.close();
    await events.close();
  };
});

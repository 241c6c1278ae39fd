import type { CameraHealth, Metrics } from '../../core/index.js';
import type { EngineStats, FrameDetections } from '../../inference/index.js';
import type { CameraEvent } from '../../rules/index.js';

export interface PipelineSources {
  readonly cameras: () => readonly CameraHealth[];
  readonly engine: () => EngineStats | null;
}

const MS_BUCKETS = [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Cameras held and their frame rates, drops and reconnects; inference frames, drops and timings;
 * detections by class and camera events by type. Returns the hooks the pipeline calls per result.
 */
export function pipelineMetrics(
  metrics: Metrics,
  src: PipelineSources,
): {
  onResult: (r: FrameDetections, kept: readonly { readonly cls: string }[]) => void;
  onEvents: (list: readonly CameraEvent[]) => void;
} {
  const perCamera = (read: (h: CameraHealth) => number) => () =>
    src.cameras().map((h) => [{ camera: h.cameraId }, read(h)] as const);
  metrics.gaugeOf(
    'muckwatch_cameras_held',
    'Cameras this node holds a lease on.',
    [],
    () => src.cameras().length,
  );
  metrics.gaugeOf(
    'muckwatch_camera_up',
    '1 while the camera streams, 0 while it connects, backs off or stalls.',
    ['camera'],
    perCamera((h) => (h.state === 'streaming' ? 1 : 0)),
  );
  metrics.gaugeOf(
    'muckwatch_camera_fps_in',
    'Source frames per second.',
    ['camera'],
    perCamera((h) => h.fpsIn),
  );
  metrics.gaugeOf(
    'muckwatch_camera_fps_out',
    'Sampled frames per second sent to the detector.',
    ['camera'],
    perCamera((h) => h.fpsOut),
  );
  metrics.counterOf(
    'muckwatch_camera_frames_total',
    'Sampled frames delivered to the detector queue.',
    ['camera'],
    perCamera((h) => h.framesOut),
  );
  metrics.counterOf(
    'muckwatch_camera_dropped_frames_total',
    'Sampled frames dropped because the camera frame queue was full.',
    ['camera'],
    perCamera((h) => h.dropped),
  );
  metrics.counterOf(
    'muckwatch_camera_reconnects_total',
    'Times the stream came back after dropping.',
    ['camera'],
    perCamera((h) => h.reconnects),
  );
  const engine = (read: (s: EngineStats) => number) => () => {
    const s = src.engine();
    return s ? read(s) : 0;
  };
  metrics.counterOf(
    'muckwatch_inference_frames_total',
    'Frames run through the detector.',
    [],
    engine((s) => s.frames),
  );
  metrics.counterOf(
    'muckwatch_inference_batches_total',
    'Detector batches run.',
    [],
    engine((s) => s.batches),
  );
  metrics.counterOf(
    'muckwatch_inference_dropped_frames_total',
    'Frames dropped (oldest first) while inference was behind.',
    [],
    engine((s) => s.dropped),
  );
  metrics.counterOf(
    'muckwatch_inference_errors_total',
    'Detector batches that failed.',
    [],
    engine((s) => s.errors),
  );

  const runSeconds = metrics.histogram(
    'muckwatch_inference_frame_seconds',
    'Detector run time per frame (batch time / batch size).',
    MS_BUCKETS,
  );
  const latency = metrics.histogram(
    'muckwatch_inference_latency_seconds',
    'Frame handed to the detector → detections decoded (queueing included).',
    MS_BUCKETS,
  );
  const detections = metrics.counter(
    'muckwatch_detections_total',
    'Detections above their class threshold (the ones stored), by class.',
    ['class'],
  );
  const events = metrics.counter('muckwatch_camera_events_total', 'Camera events by type and phase.', [
    'type',
    'phase',
  ]);
  return {
    onResult: (r, kept) => {
      runSeconds.observe(r.runMs / 1000);
      latency.observe(r.latencyMs / 1000);
      for (const d of kept) detections.inc({ class: d.cls });
    },
    onEvents: (list) => {
      for (const e of list) events.inc({ type: e.type, phase: e.phase });
    },
  };
}

export {
  CameraSupervisor,
  supervisorConfig,
  type SupervisorConfig,
  type SupervisorHooks,
} from './supervisor.js';
export { PipelineNode, type PipelineNodeDeps } from './pipeline-node.js';
export { RecordingIndex, type IndexedSegment, type RangeCover } from './recording-index.js';
export { CameraLeases, type Holder } from './leases.js';
export { classifyFailure, type Failure, type FailureKind } from './failure.js';
export {
  decoderOptions,
  letterboxFilter,
  LETTERBOX_PAD,
  type FrameSpec,
  type CameraSource,
} from './ffmpeg-args.js';
export type { CameraHealth, CameraState, Frame, RecordedSegment, RecordingGap } from './health.js';
export { parseImageZones, type CameraSettings, type ImageZone } from './camera-repo.js';

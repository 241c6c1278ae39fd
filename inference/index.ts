/** inference/: ONNX sessions in worker threads, decoders, NMS, letterbox mapping, the engine. */
export {
  InferenceEngine,
  type EngineOptions,
  type EngineStats,
  type FrameDetections,
  type InputFrame,
} from './engine.js';
export { decodeBatch, thresholdsOf, type Detection } from './detect.js';
export { DECODERS, LAYOUT_HAS_NMS, type Candidate, type Decoder } from './decoders/index.js';
export { nms, iou } from './nms.js';
export { letterbox, toSource, type Letterbox, type SourceBox } from './letterbox.js';
export { rgbToTensor } from './preprocess.js';
export { SessionPool, type SessionPoolOptions, type RunResult } from './session-pool.js';
export { FairFrameQueue } from './fair-queue.js';
export { CameraAnalysis, type CameraAnalysisOptions } from './camera-analysis.js';
export { DetectionWriter, type DetectionRow } from './detection-writer.js';
export { ByteTracker, mota, idf1, type Track, type TrackerConfig } from './tracker/index.js';
export { scoreEvents, type ScoredEvent, type EventScore } from './event-score.js';

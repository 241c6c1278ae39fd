/** rules/camera: camera event rules (dust, uncovered load, dumping, street vending) per camera, driven by frame time. */
export {
  newCameraRulesState,
  stepCameraRules,
  closeCameraRules,
  reconfigureCameraRules,
  type CameraRulesState,
} from './step.js';
export { toCameraEventPayload } from './payload.js';
export { pointInPolygon } from './geometry.js';
export {
  DEFAULT_CAMERA_RULES,
  type CameraEvent,
  type CameraEventPhase,
  type CameraEventType,
  type CameraFrameInput,
  type CameraRulesConfig,
  type CameraTrack,
  type BoxSample,
  type FrameSize,
  type ImageBox,
  type ImageZone,
  type ImageZoneKind,
} from './types.js';

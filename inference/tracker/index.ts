/** inference/tracker: a ByteTrack-class tracker per camera and the MOTA / IDF1 metrics that score it. */
export { ByteTracker } from './bytetrack.js';
export { linearAssignment } from './assignment.js';
export { mota, idf1, type EvalFrame, type Mota, type Idf1 } from './metrics.js';
export {
  classBars,
  DEFAULT_TRACKER_CONFIG,
  type Box,
  type Detection,
  type Track,
  type TrackState,
  type TrackerConfig,
} from './types.js';

export { makeClipEvidence, NotRecordedYet, type ClipJobDeps } from './clip-job.js';
export {
  cutClip,
  probeVideo,
  clipPlan,
  snapshotWithBoxes,
  ffprobeFor,
  type SourceSegment,
} from './clipper.js';

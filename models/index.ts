/** models/: model manifests (schema + reader) and the verified model loader. */
export {
  OUTPUT_LAYOUTS,
  manifestSchema,
  parseManifest,
  readManifest,
  classThreshold,
  type ModelManifest,
  type OutputLayout,
} from './manifest.js';
export { inputShapeProblems, outputShapeProblems, guessLayout, type Dim } from './shape.js';
export { openModel, checkModel, type LoadedModel, type OpenModelOptions } from './load.js';
export { REFERENCE_MODEL, ZOO } from './paths.js';

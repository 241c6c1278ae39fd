export { EvidenceStore, sha256File, type EvidenceKind, type EvidenceMeta, type StoredFile } from './store.js';
export {
  buildPackage,
  verifyPackage,
  PACKAGE_FORMAT,
  type Manifest,
  type PackageFile,
  type PackageVerdict,
} from './package.js';
export { loadOrCreateSigningKey } from './signing-key.js';
export { enqueueClip } from './clip-route.js';
export { exportIncident } from './export.js';

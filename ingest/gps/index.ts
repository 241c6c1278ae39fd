/** GPS side of ingest: JT/T 808 gateway, HTTP intake, point filters, storage, truck simulator. */
export * as jt808 from './jt808/index.js';
export { canonicalTerminalId, toPayload, distanceM, type GpsPoint } from './point.js';
export {
  PointFilter,
  REJECT_REASONS,
  type FilterSettings,
  type RejectReason,
  type Rejected,
} from './filters.js';
export { ReorderBuffer } from './reorder.js';
export { PointStore } from './store.js';
export { PointWriter, isUnavailable, type WriterSettings } from './writer.js';
export { PointPublisher, latestKeys, pointJobs } from './publisher.js';
export { GpsIntake, intakeSettings, type Intake, type IntakeSettings, type SubmitResult } from './intake.js';
export { PgTerminalRegistry, type TerminalRegistry } from './registry.js';
export { Jt808Session, emptyStats, type SessionStats } from './session.js';
export { Jt808Gateway, type GatewayOptions, type GatewayStats } from './gateway.js';
export { buildHttpIntake, vehicleLookup, type HttpIntakeOptions } from './http.js';
export {
  addPlatform,
  reissuePlatformToken,
  setPlatformEnabled,
  listPlatforms,
  platformAuthenticator,
  tokenSha256,
  type Platform,
  type PlatformAuth,
  type PlatformScope,
} from './platforms.js';
export { setPlatformScope, getPlatformScope } from './platform-scope.js';
export { platformDeviceScope, type DeviceScope } from './device-scope.js';
export { TerminalClient, type TerminalIdentity, type Answer } from './simulator/client.js';
export {
  generateFleet,
  prng,
  timeOf,
  toLocation,
  type FleetOptions,
  type ScenarioPoint,
  type ScenarioTrack,
} from './simulator/tracks.js';
export {
  replayTrack,
  replayFleet,
  badFrame,
  type ReplayOptions,
  type ReplayStats,
} from './simulator/replay.js';
export {
  startHarness as startGpsHarness,
  seedFleet,
  queuedPoints,
  TEST_INTAKE_SETTINGS,
  type Harness as GpsHarness,
} from './harness.js';
export { runFuzz, type FuzzResult } from './fuzz.js';

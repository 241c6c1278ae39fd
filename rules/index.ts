/** rules/: pure rule state machines (event time only) and the adapters and worker around them. */
export * from './geo.js';
export * from './schedule.js';
export * from './zones.js';
export * from './geojson.js';
export * from './params.js';
export * from './world.js';
export * from './incidents.js';
export * from './engine.js';
export { linkObservation, isAmbiguous, type LinkCandidate } from './linking.js';
export { newVehicleState, stepVehicle, type VehicleState, type LoadInfo } from './vehicle.js';
export * from './lifecycle.js';
export * from './inputs.js';
export * from './camera/index.js';
export { camerasFor, clipWindow, alertMessage, alertsChannel } from './outputs.js';
export { startRulesWorker, type RulesWorkerStats } from './worker.js';
export {
  upsertIncident,
  loadIncidents,
  transitionIncident,
  loadSla,
  saveObservation,
  loadObservations,
  type UpsertResult,
} from './pg/incident-repo.js';
export { loadZones, saveZones, loadVehicles, loadCameras } from './pg/world-repo.js';
export { loadWorld, type LoadedWorld } from './pg/world-load.js';
export {
  replayPeriod,
  readInputs,
  countPoints,
  progressBar,
  diffCanonical,
  type ReplayResult,
} from './replay.js';
export { syntheticCity, fleetTicks, prng, type SyntheticCity } from './synthetic.js';
export {
  track,
  drive,
  park,
  gap,
  sensor,
  mergeTracks,
  runInputs,
  scoreIncidents,
  type TrackBuilder,
  type ExpectedIncident,
  type Score,
} from './scenario.js';

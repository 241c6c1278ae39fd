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

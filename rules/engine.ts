import { cameraIncident } from './camera.js';
import type { IncidentDraft } from './incidents.js';
import { newVehicleState, stepVehicle, type VehicleState } from './vehicle.js';
import type { CameraObservation, Fix, World } from './world.js';

export type RulesInput =
  { readonly kind: 'fix'; readonly fix: Fix } | { readonly kind: 'camera'; readonly obs: CameraObservation };

export interface EngineStats {
  fixes: number;
  /** Arrived later than the reorder window allows (after newer fixes were already used). */
  late: number;
  duplicates: number;
  cameraEvents: number;
}

interface Reorder {
  /** Held fixes, oldest first. */
  buf: Fix[];
  maxSeen: number;
  lastReleased: number;
}

/**
 * All rule state: per-vehicle machines, the per-vehicle reorder buffers that put slightly
 * out-of-order fixes back in order, and camera findings waiting until GPS time has passed them
 * (so the tracks around them are known, live as in replay).
 */
export interface EngineState {
  readonly vehicles: Map<number, VehicleState>;
  readonly reorder: Map<number, Reorder>;
  /** Camera observations not yet linked, by time. */
  pendingCamera: CameraObservation[];
  /** Latest fix time handed to the vehicle machines (event time, all vehicles). */
  watermark: number;
  readonly stats: EngineStats;
}

export function newEngineState(): EngineState {
  return {
    vehicles: new Map(),
    reorder: new Map(),
    pendingCamera: [],
    watermark: -Infinity,
    stats: { fixes: 0, late: 0, duplicates: 0, cameraEvents: 0 },
  };
}

function runFix(state: EngineState, fix: Fix, world: World, out: IncidentDraft[]): void {
  let v = state.vehicles.get(fix.vehicleId);
  if (!v) {
    v = newVehicleState(fix.vehicleId);
    state.vehicles.set(fix.vehicleId, v);
  }
  const r = stepVehicle(v, fix, world.vehicles.get(fix.vehicleId), world);
  for (const o of r.outputs) out.push(o);
  if (fix.t > state.watermark) state.watermark = fix.t;
}

/**
 * The vehicles as linking sees them: their released history plus the fixes still waiting in their
 * reorder buffers. A terminal that stops reporting (ignition off, out of coverage) keeps its last
 * reorder window buffered until it reports again, and those are exactly the fixes that say where
 * it was when a camera saw it. Read-only: the vehicles' rule state is not advanced.
 */
function linkView(state: EngineState): ReadonlyMap<number, VehicleState> {
  let view: Map<number, VehicleState> | null = null;
  for (const [id, r] of state.reorder) {
    const newest = r.buf[r.buf.length - 1];
    if (!newest) continue;
    view ??= new Map(state.vehicles);
    const v = state.vehicles.get(id) ?? newVehicleState(id);
    // Buffered fixes are all later than the released ones: appending keeps the time order.
    view.set(id, { ...v, last: newest, history: { ...v.history, fixes: [...v.history.fixes, ...r.buf] } });
  }
  return view ?? state.vehicles;
}

function releaseCamera(state: EngineState, world: World, upTo: number, out: IncidentDraft[]): void {
  const q = state.pendingCamera;
  let i = 0;
  let vehicles: ReadonlyMap<number, VehicleState> | null = null;
  while (i < q.length && (q[i] as CameraObservation).t <= upTo) {
    vehicles ??= linkView(state);
    const d = cameraIncident(q[i] as CameraObservation, vehicles, world);
    if (d) out.push(d);
    i++;
  }
  if (i > 0) state.pendingCamera = q.slice(i);
}

function insertSorted<T extends { t: number }>(arr: T[], item: T): void {
  let i = arr.length;
  while (i > 0 && (arr[i - 1] as T).t > item.t) i--;
  arr.splice(i, 0, item);
}

/**
 * One input in → the incidents it completes. Event time only: the same inputs in the same
 * per-vehicle order give the same outputs, whether live or replayed.
 */
export function stepEngine(
  state: EngineState,
  input: RulesInput,
  world: World,
): { state: EngineState; outputs: IncidentDraft[] } {
  const out: IncidentDraft[] = [];
  const windowMs = world.params.reorderWindowS * 1000;
  if (input.kind === 'camera') {
    state.stats.cameraEvents++;
    insertSorted(state.pendingCamera, input.obs);
  } else {
    const fix = input.fix;
    let r = state.reorder.get(fix.vehicleId);
    if (!r) {
      r = { buf: [], maxSeen: -Infinity, lastReleased: -Infinity };
      state.reorder.set(fix.vehicleId, r);
    }
    if (fix.t <= r.lastReleased || r.buf.some((f) => f.t === fix.t)) {
      if (fix.t === r.lastReleased || r.buf.some((f) => f.t === fix.t)) state.stats.duplicates++;
      else state.stats.late++;
    } else {
      state.stats.fixes++;
      insertSorted(r.buf, fix);
      if (fix.t > r.maxSeen) r.maxSeen = fix.t;
      let n = 0;
      while (n < r.buf.length && (r.buf[n] as Fix).t <= r.maxSeen - windowMs) n++;
      if (n > 0) {
        const ready = r.buf.splice(0, n);
        for (const f of ready) runFix(state, f, world, out);
        r.lastReleased = (ready[ready.length - 1] as Fix).t;
      }
    }
  }
  releaseCamera(state, world, state.watermark - world.params.linkLagS * 1000, out);
  return { state, outputs: out };
}

/**
 * Move event time forward without a fix: camera findings wait for GPS time to pass them, so when
 * the GPS feed has stalled the worker advances time itself (findings then link to what is known).
 */
export function advanceTime(state: EngineState, world: World, t: number): IncidentDraft[] {
  const out: IncidentDraft[] = [];
  if (t > state.watermark) state.watermark = t;
  releaseCamera(state, world, state.watermark - world.params.linkLagS * 1000, out);
  return out;
}

/** End of input (end of a replay): release every held fix and camera finding. */
export function flushEngine(state: EngineState, world: World): IncidentDraft[] {
  const out: IncidentDraft[] = [];
  const held: Fix[] = [];
  for (const r of state.reorder.values()) {
    held.push(...r.buf);
    if (r.buf.length > 0) r.lastReleased = (r.buf[r.buf.length - 1] as Fix).t;
    r.buf = [];
  }
  held.sort((a, b) => a.t - b.t || a.vehicleId - b.vehicleId);
  for (const f of held) runFix(state, f, world, out);
  releaseCamera(state, world, Infinity, out);
  return out;
}

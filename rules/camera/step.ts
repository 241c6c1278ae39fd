import { newDumpingState, dumpingHits, type DumpingState } from './dumping.js';
import { closeEpisodes, stepEpisodes, type Episode } from './episodes.js';
import { inZone } from './geometry.js';
import { dustHits, uncoveredHits, vendingHits } from './hits.js';
import { remember, type TrackMemory } from './memory.js';
import {
  DEFAULT_CAMERA_RULES,
  type CameraEvent,
  type CameraFrameInput,
  type CameraRulesConfig,
} from './types.js';

/** Everything the camera rules remember about one camera between frames. */
export interface CameraRulesState {
  readonly cameraId: number;
  /** Replaceable while running (camera settings reloaded): see reconfigureCameraRules. */
  config: CameraRulesConfig;
  memory: TrackMemory;
  episodes: Episode[];
  dumping: DumpingState;
  lastMs: number | null;
}

export function newCameraRulesState(
  cameraId: number,
  config: Partial<CameraRulesConfig> = {},
): CameraRulesState {
  return {
    cameraId,
    config: { ...DEFAULT_CAMERA_RULES, ...config },
    memory: new Map(),
    episodes: [],
    dumping: newDumpingState(),
    lastMs: null,
  };
}

/**
 * One frame of one camera through the four camera rules. Pure in the rules' sense: no clock, no
 * I/O — the frame time drives everything — and the same frames give the same events. Like the GPS
 * rules, the state is updated in place and returned. A frame older than the last one is ignored
 * (the rules need frame-time order).
 */
export function stepCameraRules(
  state: CameraRulesState,
  input: CameraFrameInput,
): { state: CameraRulesState; events: CameraEvent[] } {
  if (state.lastMs !== null && input.timeMs < state.lastMs) return { state, events: [] };
  state.lastMs = input.timeMs;
  const cfg = state.config;
  // Only real sightings count: lost tracks carry predicted boxes, and ignore zones never count.
  const tracks = input.tracks.filter((t) => t.state !== 'lost' && !inZone(t.box, input.zones, 'ignore'));
  remember(state.memory, tracks, input.timeMs, cfg.medianWindowS * 1000);
  const hits = [
    ...uncoveredHits(cfg, state.memory, tracks),
    ...dustHits(cfg, state.memory, tracks, input.zones),
    ...dumpingHits(state.dumping, cfg, state.memory, tracks, input.timeMs),
    ...vendingHits(cfg, state.memory, tracks, input.zones),
  ];
  const inView = new Set(tracks.map((t) => t.id));
  const r = stepEpisodes(state.episodes, hits, input, state.cameraId, cfg, inView);
  state.episodes = r.episodes;
  return { state, events: r.events };
}

/**
 * New settings for a running camera (its loitering time or thresholds were edited): what the rules
 * remember is kept, so open events carry on under the new settings.
 */
export function reconfigureCameraRules(
  state: CameraRulesState,
  config: Partial<CameraRulesConfig>,
): CameraRulesState {
  state.config = { ...DEFAULT_CAMERA_RULES, ...config };
  return state;
}

/** Close every open event of the camera (it stopped, or its lease moved to another node). */
export function closeCameraRules(state: CameraRulesState): {
  state: CameraRulesState;
  events: CameraEvent[];
} {
  const events = closeEpisodes(state.episodes, state.cameraId);
  state.episodes = [];
  return { state, events };
}

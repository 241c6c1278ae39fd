import { scenarioTruckTracks, type CameraSimulator, type Scenario } from '../../fixtures/index.js';
import { replayTrack } from '../../ingest/index.js';

export interface Scene {
  /** Simulator stream whose clip 0 is the idle picture and clip 1 the scenario. */
  readonly path: string;
  readonly scenario: Scenario;
}

/**
 * Plays each scene on its camera now and then — the scenario clip once, its trucks' terminals
 * reporting the same motion over JT/T 808 in step — and the idle clip in between, so that every
 * finding happens once per play, linked to a truck, rather than on every loop of a clip.
 */
export function startScenePlayer(o: {
  sim: CameraSimulator;
  scenes: readonly Scene[];
  /** Seconds before the first play, between scenes, and between plays of one scene. */
  firstS: number;
  staggerS: number;
  everyS: number;
  gps: { host: string; port: number };
  terminalOf: (plate: string) => string;
  say: (msg: string) => void;
}): { stop: () => void } {
  const timers = new Set<NodeJS.Timeout>();
  const later = (s: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, s * 1000);
    t.unref();
    timers.add(t);
  };
  const play = (scene: Scene): void => {
    o.sim.switchClip(scene.path, 1);
    const start = Date.now() + 40; // the next frame out is the clip's first
    const tracks = scenarioTruckTracks(scene.scenario, start, o.terminalOf);
    o.say(
      `scene ${scene.scenario.id} on ${scene.path}: ${tracks.map((t) => t.plate).join(', ') || 'no trucks'}`,
    );
    for (const track of tracks) void replayTrack(track, { ...o.gps, speedup: 1 }).catch(() => undefined);
    later(scene.scenario.duration, () => {
      o.sim.switchClip(scene.path, 0);
    });
    later(o.everyS, () => {
      play(scene);
    });
  };
  o.scenes.forEach((scene, i) => {
    later(o.firstS + i * o.staggerS, () => {
      play(scene);
    });
  });
  return {
    stop: () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

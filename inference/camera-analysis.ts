import {
  closeCameraRules,
  newCameraRulesState,
  reconfigureCameraRules,
  stepCameraRules,
  type CameraEvent,
  type CameraRulesConfig,
  type CameraRulesState,
  type ImageZone,
} from '../rules/index.js';
import type { FrameDetections } from './engine.js';
import { ByteTracker, type Track, type TrackerConfig } from './tracker/index.js';

export interface CameraAnalysisOptions {
  readonly tracker?: Partial<TrackerConfig>;
  /** Per-camera rule settings (loitering time, thresholds); read when a camera is first seen. */
  readonly rulesFor: (cameraId: number) => Partial<CameraRulesConfig>;
  /** The camera's image zones (no-vending, site gate, ignore), re-read every frame. */
  readonly zonesFor: (cameraId: number) => readonly ImageZone[];
}

interface CameraState {
  readonly tracker: ByteTracker;
  readonly rules: CameraRulesState;
}

/**
 * Detections → per-camera tracker → camera event rules. Stateful per camera but without I/O:
 * the pipeline feeds it decoded frames in frame order and ships what comes out.
 */
export class CameraAnalysis {
  private readonly cameras = new Map<number, CameraState>();

  constructor(private readonly opts: CameraAnalysisOptions) {}

  onDetections(r: FrameDetections): { tracks: Track[]; events: CameraEvent[] } {
    let cam = this.cameras.get(r.cameraId);
    if (!cam) {
      const rules = this.opts.rulesFor(r.cameraId);
      cam = {
        // The tracker starts tracks at the same per-class scores the rules judge by.
        tracker: new ByteTracker({ classThresholds: rules.scoreThreshold ?? {}, ...this.opts.tracker }),
        rules: newCameraRulesState(r.cameraId, rules),
      };
      this.cameras.set(r.cameraId, cam);
    }
    const tracks = cam.tracker.update(r.detections, r.time);
    const { events } = stepCameraRules(cam.rules, {
      timeMs: r.time,
      frameSeq: r.seq,
      frameSize: { width: r.sourceWidth, height: r.sourceHeight },
      tracks,
      zones: this.opts.zonesFor(r.cameraId),
    });
    return { tracks, events };
  }

  /** The camera's settings changed: its rules take the new ones, keeping what they remember. */
  reconfigure(cameraId: number): void {
    const cam = this.cameras.get(cameraId);
    if (cam) reconfigureCameraRules(cam.rules, this.opts.rulesFor(cameraId));
  }

  /** The camera left this node (or stopped): close its open events and forget it. */
  closeCamera(cameraId: number): CameraEvent[] {
    const cam = this.cameras.get(cameraId);
    if (!cam) return [];
    this.cameras.delete(cameraId);
    return closeCameraRules(cam.rules).events;
  }

  cameraIds(): number[] {
    return [...this.cameras.keys()];
  }
}

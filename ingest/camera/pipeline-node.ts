import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { listPresence, publishCameraHealth, type Config, type Logger, type Pool } from '../../core/index.js';
import { loadEnabledCameras, settingsKey, type CameraSettings } from './camera-repo.js';
import type { CameraHealth, Frame } from './health.js';
import { planLeases } from './lease-plan.js';
import { CameraLeases } from './leases.js';
import { RecordingIndex } from './recording-index.js';
import { CameraSupervisor, supervisorConfig } from './supervisor.js';

export interface PipelineNodeDeps {
  readonly pool: Pool;
  readonly redis: Redis;
  readonly log: Logger;
  readonly config: Pick<Config, 'node' | 'paths' | 'pipeline' | 'redis'>;
  /** Receives every sampled frame of every camera this node holds (inference plugs in here). */
  readonly onFrame?: (frame: Frame) => void;
  /** The detector's input size: frames are letterboxed to it whatever the camera's own setting says. */
  readonly frameSize?: { readonly width: number; readonly height: number };
  /** A held camera's settings changed (zones, loitering time…) and it restarted with them. */
  readonly onCameraChanged?: (cameraId: number) => void;
  /** Key of the camera credentials stored encrypted (cameras without credentials need none). */
  readonly secretKey?: () => Buffer;
  /** A camera stopped on this node (released, lost, disabled): downstream state can be closed. */
  readonly onCameraStopped?: (cameraId: number) => void;
}

interface Held {
  readonly token: number;
  readonly key: string;
  readonly settings: CameraSettings;
  readonly supervisor: CameraSupervisor;
  renewedAt: number;
}

/**
 * A pipeline node: holds a share of the cameras through Redis leases, runs one supervisor per
 * held camera, indexes recordings, applies retention, and follows camera changes in the database.
 */
export class PipelineNode {
  private readonly leases: CameraLeases;
  private readonly index: RecordingIndex;
  private readonly held = new Map<number, Held>();
  private freeBefore = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private ticking: Promise<void> = Promise.resolve();
  private lastRetention = 0;

  constructor(private readonly deps: PipelineNodeDeps) {
    const { config } = deps;
    this.leases = new CameraLeases(
      deps.redis,
      config.redis.prefix,
      config.node.id,
      config.pipeline.leaseTtlS * 1000,
    );
    this.index = new RecordingIndex(deps.pool);
  }

  /** Ticks never overlap: the next one is scheduled when the previous one has finished. */
  start(): void {
    this.running = true;
    const run = (): void => {
      const started = Date.now();
      this.ticking = this.tick()
        .catch((err: unknown) => {
          this.deps.log.warn({ err: (err as Error).message }, 'pipeline tick failed');
        })
        .then(() => {
          if (!this.running) return;
          const wait = Math.max(0, this.deps.config.pipeline.tickS * 1000 - (Date.now() - started));
          this.timer = setTimeout(run, wait);
        });
    };
    run();
  }

  /** Stop every camera and hand its lease back so another node can take it at once. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    await Promise.all([...this.held.keys()].map((id) => this.drop(id, true)));
  }

  /**
   * Stop processing without handing leases back: what a crashed node looks like to the others
   * (also used when this node can no longer trust its leases).
   */
  async abandon(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    await Promise.all([...this.held.keys()].map((id) => this.drop(id, false)));
  }

  cameras(): CameraHealth[] {
    return [...this.held.values()].map((h) => h.supervisor.health());
  }

  /** Settings of a camera this node holds (zones for the camera rules), or undefined. */
  settingsOf(cameraId: number): CameraSettings | undefined {
    return this.held.get(cameraId)?.settings;
  }

  heldCameras(): Map<number, number> {
    return new Map([...this.held].map(([id, h]) => [id, h.token]));
  }

  private async tick(): Promise<void> {
    const { config } = this.deps;
    const now = Date.now();
    await this.renewAll(now);
    const cameras = await loadEnabledCameras(this.deps.pool, this.deps.secretKey);
    const ids = cameras.map((c) => c.id);
    const holders = new Map([...(await this.leases.holders(ids))].map(([id, h]) => [id, h.node]));
    for (const id of this.held.keys()) holders.set(id, config.node.id);
    const nodes = (await listPresence(this.deps.redis, config.redis.prefix))
      .filter((p) => p.process === 'pipeline')
      .map((p) => p.node);
    const plan = planLeases({
      me: config.node.id,
      cameras: ids,
      holders,
      nodes,
      freeBefore: this.freeBefore,
    });
    this.freeBefore = new Set(ids.filter((id) => !holders.has(id)));
    for (const id of plan.release) await this.drop(id, true);
    const byId = new Map(cameras.map((c) => [c.id, c]));
    for (const id of plan.acquire) {
      const cam = byId.get(id);
      if (!cam) continue;
      const token = await this.leases.acquire(id);
      if (token !== null) this.run(cam, token);
    }
    // A camera whose settings changed restarts under the same lease.
    for (const [id, h] of this.held) {
      const cam = byId.get(id);
      if (cam && settingsKey(cam) !== h.key) {
        await h.supervisor.stop();
        this.held.delete(id);
        this.run(cam, h.token);
        this.deps.onCameraChanged?.(id);
      }
    }
    await publishCameraHealth(this.deps.redis, config.redis.prefix, config.node.id, this.cameras());
    if (now - this.lastRetention > 60_000) {
      this.lastRetention = now;
      await this.retention(now);
    }
  }

  /** Renew every lease; one we lost, or could not renew in time, stops at once (never two holders). */
  private async renewAll(now: number): Promise<void> {
    const ttl = this.deps.config.pipeline.leaseTtlS * 1000;
    for (const [id, h] of [...this.held]) {
      const ok = await this.leases.renew(id, h.token).catch(() => null);
      if (ok === true) h.renewedAt = now;
      // Lost outright, or Redis unreachable for half the TTL: stop before the lease can expire.
      else if (ok === false || now - h.renewedAt > ttl / 2) {
        this.deps.log.warn({ camera: id }, 'camera lease lost; stopping it on this node');
        await this.drop(id, false);
      }
    }
  }

  private run(cam: CameraSettings, token: number): void {
    const { config, log } = this.deps;
    const p = config.pipeline;
    const supervisor = new CameraSupervisor(
      supervisorConfig(
        {
          cameraId: cam.id,
          url: cam.url,
          recordingDir: join(config.paths.dataDir, 'recordings', String(cam.id)),
        },
        {
          source: { url: cam.url, transport: cam.transport },
          detectSource: cam.detectUrl ? { url: cam.detectUrl, transport: cam.transport } : null,
          frames: {
            fps: cam.fps,
            width: this.deps.frameSize?.width ?? cam.width,
            height: this.deps.frameSize?.height ?? cam.height,
          },
          segmentSeconds: p.segmentSeconds,
          ffmpegPath: config.paths.ffmpeg,
          ioTimeoutS: p.ioTimeoutS,
          stallTimeoutS: p.stallTimeoutS,
          fastDecode: p.fastDecode,
          queueCapacity: p.frameQueue,
        },
      ),
      {
        onSegment: (seg) => {
          void this.index.addSegment(seg, config.node.id, token).catch((err: unknown) => {
            log.error({ err: (err as Error).message, seg: seg.path }, 'segment not indexed');
          });
        },
        onGap: (gap) => {
          void this.index.addGap(gap).catch((err: unknown) => {
            log.error({ err: (err as Error).message }, 'gap not recorded');
          });
        },
        onState: (h) => {
          log.info({ camera: cam.id, state: h.state, error: h.lastError?.message }, 'camera state');
        },
      },
    );
    this.held.set(cam.id, { token, key: settingsKey(cam), settings: cam, supervisor, renewedAt: Date.now() });
    supervisor.start();
    void this.pump(supervisor);
    log.info({ camera: cam.id, token }, 'camera acquired');
  }

  private async pump(s: CameraSupervisor): Promise<void> {
    const consume = this.deps.onFrame;
    if (!consume) return; // without a consumer the bounded queue drops (and counts) old frames
    while (this.held.get(s.config.cameraId)?.supervisor === s) {
      consume(await s.frames.take());
    }
  }

  private async drop(id: number, release: boolean): Promise<void> {
    const h = this.held.get(id);
    if (!h) return;
    this.held.delete(id);
    await h.supervisor.stop();
    this.deps.onCameraStopped?.(id);
    if (release) await this.leases.release(id, h.token).catch(() => undefined);
  }

  private async retention(now: number): Promise<void> {
    const p = this.deps.config.pipeline;
    for (const id of this.held.keys()) {
      const r = await this.index.applyRetention(
        id,
        this.deps.config.node.id,
        { maxAgeMs: p.retentionHours * 3_600_000, maxBytes: p.recordingBudgetMb * 2 ** 20 },
        now,
      );
      if (r.overBudgetBytes > 0) {
        this.deps.log.warn(
          { camera: id, overBudgetBytes: r.overBudgetBytes },
          'recordings over budget: held segments',
        );
      }
    }
  }
}

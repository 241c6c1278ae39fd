import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import ffmpeg, { type FfmpegCommand } from 'fluent-ffmpeg';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { classifyFailure, type Failure } from './failure.js';
import { ffmpegPlan, frameBytes, type CameraSource, type FrameSpec } from './ffmpeg-args.js';
import { DropOldestQueue } from './frame-queue.js';
import { FrameSplitter } from './frame-splitter.js';
import type { CameraHealth, CameraState, Frame, RecordedSegment, RecordingGap } from './health.js';
import { parseSegmentList } from './segment-list.js';
import {
  isVerboseLine,
  parseFilterInputSize,
  parseSourceResolution,
  parseStatsFrame,
} from './stderr-stats.js';

export interface SupervisorConfig {
  readonly cameraId: number;
  readonly source: CameraSource;
  /** The camera's sub stream: analysed instead of the main stream, which is then only recorded. */
  readonly detectSource: CameraSource | null;
  readonly frames: FrameSpec;
  /** Folder for this camera's segments. */
  readonly recordingDir: string;
  readonly segmentSeconds: number;
  readonly ffmpegPath: string;
  /** RTSP socket timeout (connect and read). */
  readonly ioTimeoutS: number;
  /** No frame for this long while streaming = stalled → restart. */
  readonly stallTimeoutS: number;
  /** Decode for analysis without the deblocking filter (see decoderOptions). */
  readonly fastDecode: boolean;
  readonly backoff: BackoffPolicy;
  readonly queueCapacity: number;
  /** terminate → wait this long → kill. */
  readonly stopGraceMs: number;
}

/** Production defaults; a caller names the camera, its URL and its folder, and overrides the rest. */
export function supervisorConfig(
  camera: { cameraId: number; url: string; recordingDir: string },
  overrides: Partial<Omit<SupervisorConfig, 'cameraId' | 'recordingDir'>> = {},
): SupervisorConfig {
  return {
    cameraId: camera.cameraId,
    source: { url: camera.url, transport: 'tcp' },
    detectSource: null,
    frames: { fps: 5, width: 640, height: 640 },
    recordingDir: camera.recordingDir,
    segmentSeconds: 4,
    ffmpegPath: 'ffmpeg',
    ioTimeoutS: 10,
    stallTimeoutS: 10,
    fastDecode: false,
    backoff: { baseMs: 1000, capMs: 30_000 },
    queueCapacity: 10,
    stopGraceMs: 5000,
    ...overrides,
  };
}

export interface SupervisorHooks {
  onSegment?(segment: RecordedSegment): void;
  onGap?(gap: RecordingGap): void;
  onState?(health: CameraHealth): void;
}

interface Session {
  readonly n: number;
  readonly cmd: FfmpegCommand;
  readonly listFile: string;
  readonly spawnedAt: number;
  readonly stderr: string[];
  readonly exited: Promise<void>;
  epoch: number | null;
  index: number;
  listed: number;
  stalled: boolean;
  /** Set when asked to stop before ffmpeg was spawned: the signal is sent on 'start'. */
  pendingSignal: NodeJS.Signals | null;
  started: boolean;
}

/**
 * Owns one camera's ffmpeg for its whole life: one process, two outputs (copy-mode segments and
 * letterboxed RGB frames), reconnect with capped exponential backoff, stall watchdog, health.
 */
export class CameraSupervisor {
  readonly frames: DropOldestQueue<Frame>;
  private session: Session | null = null;
  private sessions = 0;
  private stopping = false;
  private attempt = 0;
  private seq = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private state: CameraState = 'stopped';
  private since = Date.now();
  /** Counted when frames flow again after the stream dropped. */
  private reconnects = 0;
  private dropsToReconnect = 0;
  private lastError: CameraHealth['lastError'] = null;
  private lastFrameAt: number | null = null;
  private downSince: { at: number; cause: string } | null = null;
  /** Size of the picture decoded for analysis (the letterbox's source). */
  private resolution: CameraHealth['sourceResolution'] = null;
  /** Size of the main stream when a sub stream is analysed: boxes and zones are in its pixels. */
  private mainResolution: CameraHealth['sourceResolution'] = null;
  private statsIn = { frames: 0, at: 0, fps: 0 };
  private outWindow: number[] = [];

  constructor(
    readonly config: SupervisorConfig,
    private readonly hooks: SupervisorHooks = {},
    private readonly random: () => number = Math.random,
  ) {
    this.frames = new DropOldestQueue<Frame>(config.queueCapacity, (f) => f.release?.());
  }

  start(): void {
    if (this.session || this.retryTimer) return;
    this.stopping = false;
    mkdirSync(this.config.recordingDir, { recursive: true });
    this.watchdog = setInterval(() => {
      this.checkStall();
    }, 500);
    this.spawn();
  }

  /** terminate → wait → kill; resolves once ffmpeg has exited and the last segments are indexed. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.retryTimer = null;
    this.watchdog = null;
    const s = this.session;
    if (s) await this.terminate(s);
    this.setState('stopped');
  }

  health(): CameraHealth {
    const now = Date.now();
    this.outWindow = this.outWindow.filter((t) => t > now - 5000);
    return {
      cameraId: this.config.cameraId,
      state: this.state,
      since: this.since,
      fpsIn: this.statsIn.fps,
      fpsOut: this.outWindow.length / 5,
      framesOut: this.seq,
      dropped: this.frames.dropped,
      reconnects: this.reconnects,
      sourceResolution: this.mainResolution ?? this.resolution,
      lastError: this.lastError,
    };
  }

  private setState(state: CameraState): void {
    if (state === this.state) return;
    this.state = state;
    this.since = Date.now();
    this.hooks.onState?.(this.health());
  }

  private spawn(): void {
    const n = ++this.sessions;
    const { config } = this;
    const listFile = join(config.recordingDir, `.session-${String(process.pid)}-${String(n)}.csv`);
    const plan = ffmpegPlan(
      config.source,
      config.frames,
      { dir: config.recordingDir, segmentSeconds: config.segmentSeconds, listFile },
      { ioSeconds: config.ioTimeoutS },
      { fast: config.fastDecode },
      config.detectSource,
    );
    const out = new PassThrough();
    const cmd = ffmpeg(plan.input)
      .setFfmpegPath(config.ffmpegPath)
      .inputOptions([...plan.inputOptions, '-loglevel', 'level+verbose', '-stats_period', '1']);
    if (plan.detectInput) cmd.input(plan.detectInput.url).inputOptions(plan.detectInput.options);
    cmd
      .output(plan.recording.target)
      .outputOptions(plan.recording.options)
      .output(out)
      .outputOptions(plan.frames.options);
    let exited = (): void => undefined;
    const session: Session = {
      n,
      cmd,
      listFile,
      spawnedAt: Date.now(),
      stderr: [],
      exited: new Promise((res) => (exited = res)),
      epoch: null,
      index: 0,
      listed: 0,
      stalled: false,
      pendingSignal: null,
      started: false,
    };
    this.session = session;
    this.setState('starting');

    const splitter = new FrameSplitter(frameBytes(config.frames), (data) => {
      // Once only: a late second release must not hand back a buffer already refilled.
      let released = false;
      this.onFrame(session, data, () => {
        if (released) return;
        released = true;
        splitter.recycle(data);
      });
    });
    out.on('data', (chunk: Buffer) => {
      splitter.write(chunk);
    });
    cmd.on('start', () => {
      session.started = true;
      if (session.pendingSignal) cmd.kill(session.pendingSignal);
    });
    cmd.on('stderr', (line: string) => {
      this.onStderr(session, line);
    });
    const finish = (err: Error | null): void => {
      this.indexSegments(session);
      rmSync(listFile, { force: true });
      exited();
      this.onExit(session, err);
    };
    cmd.on('end', () => {
      finish(null);
    });
    cmd.on('error', (err: Error) => {
      finish(err);
    });
    cmd.run();
  }

  private onStderr(s: Session, line: string): void {
    const decoded = this.config.detectSource ? 1 : 0;
    if (isVerboseLine(line)) {
      // The filter graph's input size tracks resolution changes mid-stream (new keyframe, new size).
      const size = parseFilterInputSize(line, decoded);
      if (size) this.resolution = size;
      return;
    }
    s.stderr.push(line);
    if (s.stderr.length > 60) s.stderr.shift();
    const res = parseSourceResolution(line, 0);
    if (res && decoded === 0) this.resolution = res;
    else if (res) this.mainResolution = res;
    const frames = parseStatsFrame(line);
    if (frames !== null) {
      const now = Date.now();
      if (this.statsIn.at > 0 && now > this.statsIn.at && frames >= this.statsIn.frames) {
        this.statsIn.fps = ((frames - this.statsIn.frames) * 1000) / (now - this.statsIn.at);
      }
      this.statsIn = { frames, at: now, fps: this.statsIn.fps };
      this.indexSegments(s);
    }
  }

  private onFrame(s: Session, data: Buffer, release: () => void): void {
    const now = Date.now();
    if (s.epoch === null) {
      s.epoch = now;
      this.attempt = 0;
      if (this.dropsToReconnect > 0) {
        this.reconnects += this.dropsToReconnect;
        this.dropsToReconnect = 0;
      }
      if (this.downSince) {
        this.hooks.onGap?.({
          cameraId: this.config.cameraId,
          startMs: this.downSince.at,
          endMs: now,
          cause: this.downSince.cause,
        });
        this.downSince = null;
      }
      this.setState('streaming');
    }
    this.lastFrameAt = now;
    this.outWindow.push(now);
    const { width, height, fps } = this.config.frames;
    this.frames.push({
      cameraId: this.config.cameraId,
      seq: this.seq++,
      time: s.epoch + Math.round((s.index++ * 1000) / fps),
      width,
      height,
      // ffmpeg reports the source size at start; until then assume no letterbox.
      sourceWidth: this.resolution?.width ?? width,
      sourceHeight: this.resolution?.height ?? height,
      ...(this.mainResolution ? { view: this.mainResolution } : {}),
      data,
      release,
    });
  }

  /** Report segments ffmpeg has closed since the last look (its CSV list grows one line per segment). */
  private indexSegments(s: Session): void {
    let text: string;
    try {
      text = readFileSync(s.listFile, 'utf8');
    } catch {
      return;
    }
    const listed = parseSegmentList(text);
    const epoch = s.epoch ?? s.spawnedAt;
    for (const seg of listed.slice(s.listed)) {
      const path = join(this.config.recordingDir, basename(seg.file));
      let bytes: number;
      try {
        bytes = statSync(path).size;
      } catch {
        continue; // listed but already gone (retention raced us): nothing to index
      }
      this.hooks.onSegment?.({
        cameraId: this.config.cameraId,
        path,
        startMs: epoch + Math.round(seg.startS * 1000),
        endMs: epoch + Math.round(seg.endS * 1000),
        bytes,
      });
    }
    s.listed = Math.max(s.listed, listed.length);
  }

  private checkStall(): void {
    const s = this.session;
    if (!s || s.stalled) return;
    const now = Date.now();
    const limit = this.config.stallTimeoutS * 1000;
    const last = s.epoch === null ? s.spawnedAt + this.config.ioTimeoutS * 1000 : (this.lastFrameAt ?? now);
    if (now - last > limit) {
      s.stalled = true;
      this.lastError = {
        kind: 'timeout',
        message: `no frame for ${String(this.config.stallTimeoutS)} s: stream stalled, restarting`,
        at: now,
      };
      this.setState('stalled');
      void this.terminate(s);
    }
  }

  private signal(s: Session, sig: NodeJS.Signals): void {
    if (s.started) s.cmd.kill(sig);
    else s.pendingSignal = sig;
  }

  /** terminate → wait → kill. */
  private async terminate(s: Session): Promise<void> {
    this.signal(s, 'SIGTERM');
    const exitedInTime = await Promise.race([
      s.exited.then(() => true),
      new Promise<boolean>((res) =>
        setTimeout(() => {
          res(false);
        }, this.config.stopGraceMs),
      ),
    ]);
    if (!exitedInTime) {
      this.signal(s, 'SIGKILL');
      await s.exited;
    }
  }

  private onExit(s: Session, err: Error | null): void {
    if (this.session === s) this.session = null;
    if (this.stopping) return;
    const wasStreaming = s.epoch !== null;
    const code = err ? Number(/code (\d+)/.exec(err.message)?.[1] ?? 1) : 0;
    const failure: Failure = s.stalled
      ? { kind: 'timeout', transient: true, message: this.lastError?.message ?? 'stalled' }
      : classifyFailure(s.stderr.join('\n'), code);
    const now = Date.now();
    this.lastError = { kind: failure.kind, message: failure.message, at: now };
    // Recording stops at the last frame seen; the gap closes when frames flow again.
    this.downSince ??= { at: this.lastFrameAt ?? s.spawnedAt, cause: failure.message };
    if (wasStreaming) this.dropsToReconnect++;
    const delay = backoffDelay(this.config.backoff, failure.transient ? this.attempt : 30, this.random());
    this.attempt++;
    this.setState(failure.transient ? 'backoff' : 'failed');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopping) this.spawn();
    }, delay);
  }
}

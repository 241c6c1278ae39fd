import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { liveFfmpegArgs, type LiveFormat, type LiveInput } from './ffmpeg-args.js';
import { avcCodecString, BoxSplitter, startsWithKeyframe } from './fmp4.js';
import { groupStart, packetPid, TABLE_PIDS, TS_PACKET, TsAligner } from './mpegts.js';

/** One browser watching a feed (in the console: one HTTP response). */
export interface Viewer {
  /** Called once, before any bytes, with the content type to answer with. */
  open(contentType: string): void;
  /** Returns false once the viewer cannot keep up; it is then dropped. */
  send(chunk: Buffer): boolean;
  /** The viewer gets no more bytes (camera gone, feed stopped, viewer too slow). */
  close(reason: string): void;
}

export interface FeedOptions {
  readonly ffmpeg: string;
  readonly input: LiveInput;
  readonly format: LiveFormat;
  /** No picture data from the camera within this time ends the feed. */
  readonly startTimeoutMs: number;
  readonly onEnd: (feed: LiveFeed) => void;
}

/** A late viewer starts at the newest keyframe; a camera with no keyframe for long is capped. */
const MAX_GOP_CACHE_BYTES = 16 * 1024 * 1024;
/** A JSMpeg viewer joining this soon after a picture group began starts with it. */
const JSMPEG_FRESH_GROUP_MS = 200;

/**
 * One ffmpeg reading one camera, fanned out to every viewer of that camera: a new viewer joins
 * the running process (and, for MP4, gets the init segment and the frames since the last
 * keyframe, so its picture appears at once). The process stops when the last viewer leaves.
 */
export class LiveFeed {
  readonly child: ChildProcess;
  private readonly members = new Set<Viewer>();
  private readonly receiving = new Set<Viewer>();
  private readonly splitter = new BoxSplitter();
  private readonly aligner = new TsAligner();
  private readonly tables = new Map<number, Buffer>();
  private readonly ready: Promise<string>;
  private readonly stderrTail: string[] = [];
  private ftyp: Buffer | null = null;
  private init: Buffer | null = null;
  private moof: Buffer | null = null;
  private gop: Buffer[] = [];
  private gopBytes = 0;
  private groupOpen = false;
  private groupAt = 0;
  private startTimer: NodeJS.Timeout;
  private exited: Promise<void>;
  ended = false;

  constructor(private readonly o: FeedOptions) {
    this.child = spawn(o.ffmpeg, liveFfmpegArgs(o.input, o.format), { stdio: ['ignore', 'pipe', 'pipe'] });
    // The pipeline's own ffmpeg on a shared host comes first: the live view yields CPU to it.
    if (this.child.pid !== undefined) {
      try {
        setPriority(this.child.pid, 10);
      } catch {
        /* not permitted here: run at normal priority */
      }
    }
    let resolveReady: (type: string) => void = () => undefined;
    let rejectReady: (err: Error) => void = () => undefined;
    this.ready = new Promise<string>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    this.ready.catch(() => undefined); // a feed nobody waited on may fail quietly
    this.resolveReady = resolveReady;
    this.rejectReady = rejectReady;
    this.startTimer = setTimeout(() => {
      this.fail(`no picture within ${String(o.startTimeoutMs / 1000)} s`);
    }, o.startTimeoutMs);
    this.child.stdout?.on('data', (chunk: Buffer) => {
      try {
        this.onData(chunk);
      } catch (err) {
        this.fail(`unreadable output from ffmpeg: ${(err as Error).message}`);
      }
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (text: string) => {
      for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
        this.stderrTail.push(line.trim());
        if (this.stderrTail.length > 5) this.stderrTail.shift();
      }
    });
    this.child.on('error', (err) => {
      this.fail(`cannot run ffmpeg (${err.message})`);
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.fail(`ffmpeg ended (${signal ?? `code ${String(code)}`})`);
        resolve();
      });
    });
  }

  private resolveReady: (type: string) => void;
  private rejectReady: (err: Error) => void;

  /** Join: resolves once the viewer has been opened and sent what it needs to start. */
  async add(viewer: Viewer): Promise<void> {
    if (this.ended) throw new Error('the feed has ended');
    this.members.add(viewer);
    let type: string;
    try {
      type = await this.ready;
    } catch (err) {
      this.members.delete(viewer);
      throw err;
    }
    if (!this.members.has(viewer)) return; // left while waiting
    viewer.open(type);
    // MSE jumps to the newest frame, so it may start at the last keyframe and show a picture at
    // once. JSMpeg plays every frame it is given at the stream's pace and never makes up a
    // backlog: it gets the current group only if that has just begun, else waits for the next.
    const fresh = Date.now() - this.groupAt < JSMPEG_FRESH_GROUP_MS;
    const start =
      this.o.format === 'fmp4' && this.init
        ? [this.init, ...this.gop]
        : [...this.tables.values(), ...(fresh ? this.gop : [])];
    for (const b of start) if (!this.deliver(viewer, b)) return;
    this.receiving.add(viewer);
  }

  remove(viewer: Viewer): void {
    this.members.delete(viewer);
    this.receiving.delete(viewer);
    if (this.members.size === 0) void this.stop();
  }

  /** Terminate, then kill if ffmpeg has not gone within two seconds. */
  stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const kill = setTimeout(() => this.child.kill('SIGKILL'), 2000);
      void this.exited.then(() => {
        clearTimeout(kill);
      });
    }
    this.fail('stopped');
    return this.exited;
  }

  private onData(chunk: Buffer): void {
    if (this.o.format === 'mpegts') {
      this.onPackets(this.aligner.push(chunk));
      return;
    }
    for (const box of this.splitter.push(chunk)) {
      if (box.type === 'ftyp') this.ftyp = Buffer.from(box.bytes);
      else if (box.type === 'moov') {
        this.init = Buffer.concat([this.ftyp ?? Buffer.alloc(0), box.bytes]);
        const codec = avcCodecString(box.bytes);
        if (!codec) throw new Error('the camera stream is not H.264');
        clearTimeout(this.startTimer);
        this.resolveReady(`video/mp4; codecs="${codec}"`);
      } else if (box.type === 'moof') this.moof = Buffer.from(box.bytes);
      else if (box.type === 'mdat' && this.moof) {
        const frag = Buffer.concat([this.moof, box.bytes]);
        if (startsWithKeyframe(this.moof)) this.newGroup();
        this.keep(frag);
        this.moof = null;
        this.broadcast(frag);
      }
    }
  }

  private onPackets(packets: Buffer): void {
    if (packets.length === 0) return;
    for (let at = 0; at < packets.length; at += TS_PACKET) {
      const pid = packetPid(packets.subarray(at, at + TS_PACKET));
      if (TABLE_PIDS.has(pid)) this.tables.set(pid, Buffer.from(packets.subarray(at, at + TS_PACKET)));
    }
    const g = groupStart(packets);
    if (g >= 0) {
      this.newGroup();
      this.keep(Buffer.from(packets.subarray(g)));
      clearTimeout(this.startTimer);
      this.resolveReady('video/mp2t');
    } else this.keep(Buffer.from(packets));
    this.broadcast(packets);
  }

  private newGroup(): void {
    this.groupOpen = true;
    this.groupAt = Date.now();
    this.gop = [];
    this.gopBytes = 0;
  }

  /** Cache what a late viewer needs: everything since the newest keyframe (none before the first). */
  private keep(b: Buffer): void {
    if (!this.groupOpen) return;
    if (this.gopBytes + b.length > MAX_GOP_CACHE_BYTES) return;
    this.gop.push(b);
    this.gopBytes += b.length;
  }

  private broadcast(b: Buffer): void {
    for (const v of this.receiving) this.deliver(v, b);
  }

  private deliver(v: Viewer, b: Buffer): boolean {
    if (v.send(b)) return true;
    v.close('the viewer could not keep up');
    this.remove(v);
    return false;
  }

  private fail(reason: string): void {
    clearTimeout(this.startTimer);
    if (this.ended) return;
    this.ended = true;
    const detail = this.stderrTail.at(-1);
    this.rejectReady(new Error(detail ? `${reason}: ${detail}` : reason));
    for (const v of this.receiving) v.close(reason);
    this.receiving.clear();
    this.members.clear();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    this.o.onEnd(this);
  }
}

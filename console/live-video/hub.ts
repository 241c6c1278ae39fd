import type { LiveFormat, LiveInput } from './ffmpeg-args.js';
import { LiveFeed, type Viewer } from './feed.js';

export interface LiveVideoOptions {
  readonly ffmpeg?: string;
  /** How long a camera may take to send its first picture before the viewer is told it failed. */
  readonly startTimeoutMs?: number;
}

/**
 * Live feeds of this console process, at most one ffmpeg per camera and encoding however many
 * operators watch. Each is a separate RTSP session to the camera, so the pipeline's ingest
 * (its own session, on its own node) is untouched by who is watching.
 */
export class LiveVideoHub {
  private readonly feeds = new Map<string, { cameraId: number; feed: LiveFeed }>();

  constructor(private readonly o: LiveVideoOptions = {}) {}

  /**
   * Start watching: `started` resolves once `viewer` is open (rejects with why the camera gave no
   * picture); `leave` stops watching, also while still waiting.
   */
  watch(
    cameraId: number,
    input: LiveInput,
    format: LiveFormat,
    viewer: Viewer,
  ): { started: Promise<void>; leave: () => void } {
    // A changed camera address is another feed: old viewers finish on the old one.
    const key = `${String(cameraId)}|${format}|${input.transport}|${input.url}`;
    let entry = this.feeds.get(key);
    if (!entry || entry.feed.ended) {
      const feed = new LiveFeed({
        ffmpeg: this.o.ffmpeg ?? 'ffmpeg',
        input,
        format,
        startTimeoutMs: this.o.startTimeoutMs ?? 10_000,
        onEnd: (f) => {
          if (this.feeds.get(key)?.feed === f) this.feeds.delete(key);
        },
      });
      entry = { cameraId, feed };
      this.feeds.set(key, entry);
    }
    const feed = entry.feed;
    let left = false;
    return {
      started: feed.add(viewer),
      leave: () => {
        if (left) return;
        left = true;
        feed.remove(viewer);
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.feeds.values()].map(({ feed }) => feed.stop()));
    this.feeds.clear();
  }
}

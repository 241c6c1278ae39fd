import JSMpeg from '@cycjimmy/jsmpeg-player';
import type { LivePlayback } from './mse-player.js';

interface Destination {
  write(data: ArrayBuffer): void;
}

/**
 * A JSMpeg source reading the console's streamed MPEG-TS with fetch (same cookie and guard as
 * every other request; no second protocol), that can be stopped and says why it ended.
 */
class FetchStream {
  readonly streaming = true;
  completed = false;
  established = false;
  progress = 0;
  private destination: Destination | null = null;
  private readonly ctrl = new AbortController();

  constructor(
    private readonly url: string,
    private readonly options: { onStreamEnd?: (why: string) => void },
  ) {}

  connect(destination: Destination): void {
    this.destination = destination;
  }

  start(): void {
    this.run().catch((err: unknown) => {
      if (!this.ctrl.signal.aborted) this.options.onStreamEnd?.((err as Error).message);
    });
  }

  resume(): void {
    /* a live stream cannot be asked for more; it just keeps coming */
  }

  destroy(): void {
    this.ctrl.abort();
  }

  private async run(): Promise<void> {
    const res = await fetch(this.url, { signal: this.ctrl.signal, credentials: 'same-origin' });
    if (!res.ok || !res.body) {
      const body = (await res.json().catch(() => null)) as { message?: string } | null;
      throw new Error(body?.message ?? `HTTP ${String(res.status)}`);
    }
    this.established = true;
    this.progress = 1;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      this.destination?.write(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
    }
    throw new Error('the camera stream ended');
  }
}

/** Live view decoded in JavaScript (MPEG-1) onto a canvas, for browsers without H.264 in MSE. */
export function playJsmpeg(
  canvas: HTMLCanvasElement,
  url: string,
  onEnd: (why: string) => void,
): LivePlayback {
  const player = new JSMpeg.Player(url, {
    canvas,
    source: FetchStream,
    audio: false,
    autoplay: true,
    // Keeps the last picture readable (snapshots, and the latency probe of the browser tests).
    preserveDrawingBuffer: true,
    videoBufferSize: 1024 * 1024,
    onStreamEnd: onEnd,
  });
  return {
    stop: () => {
      player.destroy();
    },
  };
}

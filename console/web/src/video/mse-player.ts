/**
 * Live view over Media Source Extensions: the console streams the camera's own H.264 as
 * fragmented MP4 (one fragment per frame), appended as it arrives. The picture is kept at the
 * newest frame: when playback falls behind what is buffered it jumps forward rather than
 * showing the past slowly.
 */
export interface LivePlayback {
  stop(): void;
}

/** How far behind the newest buffered frame playback sits (room for the next frame to arrive). */
const TARGET_LAG_S = 0.08;
/** Behind by more than this (a stall, a hidden tab), jump to the newest frame. */
const MAX_LAG_S = 0.4;
/** Seconds of picture kept behind the playhead; older data is removed from the buffer. */
const KEEP_S = 10;

export const mseSupported = (): boolean =>
  typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported('video/mp4; codecs="avc1.42E01E"');

export function playMse(video: HTMLVideoElement, url: string, onEnd: (why: string) => void): LivePlayback {
  const ctrl = new AbortController();
  const ms = new MediaSource();
  const objectUrl = URL.createObjectURL(ms);
  video.muted = true;
  video.playsInline = true;
  video.src = objectUrl;
  const queue: Uint8Array[] = [];
  let sb: SourceBuffer | null = null;
  let stopped = false;

  const pump = (): void => {
    if (!sb || sb.updating || queue.length === 0 || ms.readyState !== 'open') return;
    const total = queue.reduce((n, c) => n + c.length, 0);
    const joined = new Uint8Array(total);
    let at = 0;
    for (const c of queue) {
      joined.set(c, at);
      at += c.length;
    }
    queue.length = 0;
    sb.appendBuffer(joined);
  };
  const chase = (): void => {
    const b = video.buffered;
    if (!sb || b.length === 0) return;
    const end = b.end(b.length - 1);
    const start = b.start(b.length - 1);
    const lag = end - video.currentTime;
    if (lag > MAX_LAG_S || video.currentTime < start) video.currentTime = Math.max(start, end - TARGET_LAG_S);
    // A little behind: play a little faster until caught up (smoother than a jump).
    else
      video.playbackRate =
        lag > TARGET_LAG_S + 0.08 ? 1.25 : lag < TARGET_LAG_S + 0.02 ? 1 : video.playbackRate;
    if (video.paused) void video.play().catch(() => undefined);
    const oldest = b.start(0);
    if (!sb.updating && video.currentTime - oldest > KEEP_S * 2)
      sb.remove(oldest, video.currentTime - KEEP_S);
  };

  const run = async (): Promise<void> => {
    const res = await fetch(url, { signal: ctrl.signal, credentials: 'same-origin' });
    if (!res.ok || !res.body) {
      const body = (await res.json().catch(() => null)) as { message?: string } | null;
      throw new Error(body?.message ?? `HTTP ${String(res.status)}`);
    }
    const type = res.headers.get('content-type') ?? '';
    if (!MediaSource.isTypeSupported(type)) throw new Error(`this browser cannot play ${type}`);
    const buffer = ms.addSourceBuffer(type);
    sb = buffer;
    buffer.mode = 'segments';
    buffer.addEventListener('updateend', () => {
      chase();
      pump();
    });
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      queue.push(value);
      pump();
    }
    throw new Error('the camera stream ended');
  };
  ms.addEventListener(
    'sourceopen',
    () => {
      run().catch((err: unknown) => {
        if (!stopped) onEnd((err as Error).message);
      });
    },
    { once: true },
  );
  return {
    stop: () => {
      stopped = true;
      ctrl.abort();
      video.removeAttribute('src');
      video.load();
      URL.revokeObjectURL(objectUrl);
    },
  };
}

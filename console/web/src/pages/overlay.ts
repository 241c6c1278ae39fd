import { h } from '../dom.js';

/** The evidence box track written with each clip: times in seconds from the clip's first frame. */
export interface BoxTrack {
  clipStart: string;
  boxes: {
    t: number;
    cls: string;
    confidence: number;
    box: { x: number; y: number; w: number; h: number };
  }[];
}

const COLORS: Record<string, string> = {
  dust: '#f5b301',
  dumping: '#e74c3c',
  debris_pile: '#e74c3c',
  uncovered_load: '#ff6b00',
};

/**
 * Wrap a video with a canvas that draws the detection boxes of the current playback time
 * (source-pixel boxes scaled to the letterboxed picture). Stops when the video leaves the page.
 */
export function withBoxOverlay(video: HTMLVideoElement, track: BoxTrack): HTMLElement {
  const canvas = document.createElement('canvas');
  canvas.className = 'overlay';
  const wrap = h('div.video-wrap', video, canvas);
  const ctx = canvas.getContext('2d');
  const draw = (): void => {
    if (!ctx) return;
    const r = video.getBoundingClientRect();
    canvas.width = Math.round(r.width);
    canvas.height = Math.round(r.height);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const vw = video.videoWidth;
    const vh = video.videoHeight;
    if (!vw || !vh) return;
    // object-fit: contain → the picture's scale and offset inside the element.
    const s = Math.min(canvas.width / vw, canvas.height / vh);
    const ox = (canvas.width - vw * s) / 2;
    const oy = (canvas.height - vh * s) / 2;
    const now = video.currentTime;
    ctx.lineWidth = 2;
    ctx.font = '12px system-ui, sans-serif';
    let shown = 0;
    for (const b of track.boxes) {
      if (Math.abs(b.t - now) > 0.12) continue;
      const color = COLORS[b.cls] ?? '#3ddc84';
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.strokeRect(ox + b.box.x * s, oy + b.box.y * s, b.box.w * s, b.box.h * s);
      ctx.fillText(`${b.cls} ${b.confidence.toFixed(2)}`, ox + b.box.x * s + 2, oy + b.box.y * s - 3);
      shown++;
    }
    canvas.dataset.boxes = String(shown);
  };
  const loop = (): void => {
    if (!wrap.isConnected && wrap.dataset.started) return;
    wrap.dataset.started = '1';
    draw();
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  return wrap;
}

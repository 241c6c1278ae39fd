import { h } from '../dom.js';
import { w } from './words.js';

type XY = [number, number];

/**
 * Click-to-draw polygons (or lines) on any canvas: `toWorld` turns a click into the caller's
 * coordinates (image pixels, lon/lat), `toCanvas` draws them back. Finish needs 3 points
 * (2 for a line); the drawing is handed to `onDone`.
 */
export class PolyEditor {
  points: XY[] = [];
  active = false;
  line = false;
  readonly tools: HTMLElement;

  constructor(
    canvas: HTMLCanvasElement,
    private readonly toWorld: (p: XY) => XY,
    private readonly toCanvas: (p: XY) => XY,
    private readonly redraw: () => void,
    private readonly onDone: (points: XY[]) => void,
  ) {
    canvas.addEventListener('click', (e) => {
      if (!this.active) return;
      const r = canvas.getBoundingClientRect();
      const x = ((e.clientX - r.left) * canvas.width) / r.width;
      const y = ((e.clientY - r.top) * canvas.height) / r.height;
      this.points.push(this.toWorld([x, y]));
      this.redraw();
    });
    this.tools = h(
      'span.poly-tools',
      h(
        'button.small.poly-finish',
        {
          onclick: () => {
            this.finish();
          },
        },
        w('finish'),
      ),
      h(
        'button.small',
        {
          onclick: () => {
            this.points.pop();
            this.redraw();
          },
        },
        w('undo'),
      ),
      h(
        'button.small',
        {
          onclick: () => {
            this.points = [];
            this.redraw();
          },
        },
        w('clear'),
      ),
    );
  }

  start(line = false): void {
    this.active = true;
    this.line = line;
    this.points = [];
    this.redraw();
  }

  finish(): void {
    if (this.points.length < (this.line ? 2 : 3)) return;
    const pts = this.points;
    this.active = false;
    this.points = [];
    this.onDone(pts);
    this.redraw();
  }

  /** Draw the points so far (call at the end of the owner's redraw). */
  drawOverlay(ctx: CanvasRenderingContext2D): void {
    if (!this.active || this.points.length === 0) return;
    ctx.beginPath();
    this.points.forEach((p, i) => {
      const [x, y] = this.toCanvas(p);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.strokeStyle = '#0a7cff';
    ctx.lineWidth = 2;
    ctx.stroke();
    for (const p of this.points) {
      const [x, y] = this.toCanvas(p);
      ctx.fillStyle = '#0a7cff';
      ctx.fillRect(x - 3, y - 3, 6, 6);
    }
  }
}

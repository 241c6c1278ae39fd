import { api } from '../api.js';
import { h } from '../dom.js';
import { GeoView, ringsOf, type GeoFeature, type XY } from './geo-view.js';
import { errorText } from './import-report.js';
import { PolyEditor } from './poly-editor.js';
import { w } from './words.js';

export interface Placement {
  position: XY | null;
  headingDeg: number | null;
  /** Horizontal field of view: drawn as the view cone; the rules use it to tell trucks apart. */
  hfovDeg: number;
  footprint: XY[] | null;
}

/**
 * The camera on the offline map: click to place it, a heading and field of view (drawn as its
 * view cone), and its view footprint drawn as a polygon.
 */
export function placementPanel(cameraId: number, initial: Placement): HTMLElement {
  const p: Placement = { ...initial };
  const canvas = h('canvas#placement-map', {
    width: 640,
    height: 400,
    style: { width: '100%', maxWidth: '800px', border: '1px solid #ccc' },
  });
  const view = new GeoView(canvas);
  const heading = h('input#camera-heading', {
    type: 'number',
    min: 0,
    max: 359,
    value: p.headingDeg === null ? '' : String(p.headingDeg),
  });
  const hfov = h('input#camera-hfov', { type: 'number', min: 1, max: 179, value: String(p.hfovDeg) });
  const msg = h('p.msg');
  let zones: GeoFeature[] = [];
  let placing = false;
  const redraw = (): void => {
    view.drawFeatures(zones);
    const { ctx } = view;
    if (p.footprint) {
      ctx.beginPath();
      p.footprint.forEach((q, i) => {
        const [x, y] = view.project(q);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.closePath();
      ctx.fillStyle = 'rgba(10,124,255,0.15)';
      ctx.fill();
      ctx.strokeStyle = '#0a7cff';
      ctx.stroke();
    }
    if (p.position) {
      const [x, y] = view.project(p.position);
      ctx.fillStyle = '#0a7cff';
      ctx.beginPath();
      ctx.arc(x, y, 6, 0, Math.PI * 2);
      ctx.fill();
      const deg = Number(heading.value);
      if (heading.value !== '' && Number.isFinite(deg)) {
        const ray = (d: number, len: number): void => {
          const a = (d * Math.PI) / 180;
          ctx.beginPath();
          ctx.moveTo(x, y);
          ctx.lineTo(x + Math.sin(a) * len, y - Math.cos(a) * len);
          ctx.stroke();
        };
        ctx.lineWidth = 3;
        ray(deg, 30);
        ctx.lineWidth = 1;
        const half = Number(hfov.value) / 2;
        if (Number.isFinite(half) && half > 0) {
          ctx.setLineDash([4, 3]);
          ray(deg - half, 45);
          ray(deg + half, 45);
          ctx.setLineDash([]);
        }
      }
    }
    editor.drawOverlay(ctx);
  };
  const editor = new PolyEditor(
    canvas,
    (q) => view.unproject(q),
    (q) => view.project(q),
    redraw,
    (pts) => {
      p.footprint = pts;
    },
  );
  canvas.addEventListener('click', (e) => {
    if (!placing) return;
    const r = canvas.getBoundingClientRect();
    p.position = view.unproject([
      ((e.clientX - r.left) * canvas.width) / r.width,
      ((e.clientY - r.top) * canvas.height) / r.height,
    ]);
    placing = false;
    redraw();
  });
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    view.zoom(e.deltaY < 0 ? 1.25 : 0.8);
    redraw();
  });
  heading.addEventListener('input', redraw);
  hfov.addEventListener('input', redraw);
  void api<{ features: GeoFeature[] }>('GET', '/api/zones').then((fc) => {
    zones = fc.features;
    const own = [...(p.position ? [p.position] : []), ...(p.footprint ?? [])];
    // Centre on the camera when it is placed, else on the whole city.
    view.fit(own.length > 0 ? own : zones.flatMap((z) => ringsOf(z.geometry).flat()));
    if (own.length > 0 && own.length < 3) view.scale = 60_000;
    redraw();
  });
  const save = async (): Promise<void> => {
    try {
      await api('PATCH', `/api/cameras/${String(cameraId)}`, {
        position: p.position,
        headingDeg: heading.value === '' ? null : Number(heading.value),
        ...(hfov.value === '' ? {} : { hfovDeg: Number(hfov.value) }),
        footprint: p.footprint,
      });
      msg.textContent = w('saved');
    } catch (err) {
      msg.textContent = errorText(err);
    }
  };
  return h(
    'section.panel.placement',
    h('h3', w('placement')),
    canvas,
    h(
      'div',
      h(
        'button.small#place-camera',
        {
          onclick: () => {
            placing = true;
          },
        },
        w('setPosition'),
      ),
      h('label', ` ${w('heading')} `, heading),
      h('label', ` ${w('hfov')} `, hfov),
      h(
        'button.small#draw-footprint',
        {
          onclick: () => {
            editor.start();
          },
        },
        w('drawFootprint'),
      ),
      editor.tools,
      h('button.primary#save-placement', { onclick: () => void save() }, w('savePlacement')),
    ),
    msg,
  );
}

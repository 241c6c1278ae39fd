import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { errorText } from './import-report.js';
import { PolyEditor } from './poly-editor.js';
import { w } from './words.js';

type XY = [number, number];
export interface ImageZone {
  id: string;
  kind: 'no_vending' | 'site_gate' | 'ignore';
  polygon: XY[];
}

const COLORS: Record<ImageZone['kind'], string> = {
  no_vending: '#d04848',
  site_gate: '#d98e1a',
  ignore: '#555',
};

/**
 * The camera's live snapshot with its image zones drawn over it; new polygons are clicked on the
 * picture in the source image's pixels (what the camera rules use), then saved to the camera.
 */
export function imageZonesPanel(cameraId: number, initial: ImageZone[], onSaved: () => void): HTMLElement {
  let zones = [...initial];
  const canvas = h('canvas#snapshot-canvas', {
    width: 640,
    height: 360,
    style: { width: '100%', maxWidth: '800px', border: '1px solid #ccc' },
  });
  const ctx = canvas.getContext('2d');
  const img = new Image();
  const msg = h('p.msg');
  const list = h('ul.zone-list');
  const kind = h(
    'select#zone-kind',
    ...(['no_vending', 'site_gate', 'ignore'] as const).map((k) => h('option', { value: k }, w(k))),
  );
  const zoneId = h('input#zone-id', { placeholder: 'id', value: `zone-${String(zones.length + 1)}` });
  // Canvas pixels ↔ source image pixels (the picture is shown scaled to the canvas).
  const sx = (): number => (img.naturalWidth || canvas.width) / canvas.width;
  const sy = (): number => (img.naturalHeight || canvas.height) / canvas.height;
  const redraw = (): void => {
    if (!ctx) return;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (img.complete && img.naturalWidth > 0) ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    for (const z of zones) {
      ctx.beginPath();
      z.polygon.forEach(([x, y], i) => {
        if (i === 0) ctx.moveTo(x / sx(), y / sy());
        else ctx.lineTo(x / sx(), y / sy());
      });
      ctx.closePath();
      ctx.strokeStyle = COLORS[z.kind];
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.fillStyle = `${COLORS[z.kind]}33`;
      ctx.fill();
    }
    editor.drawOverlay(ctx);
  };
  const editor = new PolyEditor(
    canvas,
    ([x, y]) => [Math.round(x * sx()), Math.round(y * sy())],
    ([x, y]) => [x / sx(), y / sy()],
    redraw,
    (pts) => {
      zones = [
        ...zones.filter((z) => z.id !== zoneId.value),
        { id: zoneId.value, kind: kind.value as ImageZone['kind'], polygon: pts },
      ];
      zoneId.value = `zone-${String(zones.length + 1)}`;
      renderList();
    },
  );
  const renderList = (): void => {
    clear(
      list,
      ...zones.map((z) =>
        h(
          'li',
          { 'data-zone': z.id },
          `${z.id} · ${w(z.kind)} · ${String(z.polygon.length)} pts `,
          h(
            'button.small',
            {
              onclick: () => {
                zones = zones.filter((x) => x !== z);
                renderList();
              },
            },
            w('remove'),
          ),
        ),
      ),
    );
    redraw();
  };
  const loadSnapshot = async (): Promise<void> => {
    msg.textContent = '…';
    // Fetched rather than set as img.src, so a camera that gives no picture shows the API's reason.
    const res = await fetch(`/api/cameras/${String(cameraId)}/snapshot`, { credentials: 'same-origin' });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      msg.textContent = `${w('snapshot')}: ${body.message ?? String(res.status)}`;
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    img.onload = () => {
      canvas.height = Math.round((canvas.width * img.naturalHeight) / img.naturalWidth);
      msg.textContent = '';
      canvas.dataset.loaded = 'true';
      URL.revokeObjectURL(url);
      redraw();
    };
    img.src = url;
  };
  const save = async (): Promise<void> => {
    try {
      await api('PATCH', `/api/cameras/${String(cameraId)}`, { imageZones: zones });
      msg.textContent = w('saved');
      onSaved();
    } catch (err) {
      msg.textContent = errorText(err);
    }
  };
  renderList();
  void loadSnapshot();
  return h(
    'section.panel.image-zones',
    h('h3', w('imageZones')),
    h(
      'div',
      h('button.small', { onclick: () => void loadSnapshot() }, w('reloadSnapshot')),
      ' ',
      w('drawHint'),
    ),
    canvas,
    h(
      'div',
      kind,
      zoneId,
      h(
        'button.small#draw-image-zone',
        {
          onclick: () => {
            editor.start();
          },
        },
        w('drawZone'),
      ),
      editor.tools,
      h('button.primary#save-image-zones', { onclick: () => void save() }, w('saveZones')),
    ),
    list,
    msg,
  );
}

import { api, type IncidentSummary, type Page as ApiPage } from '../api.js';
import { clear, h } from '../dom.js';
import { t, typeName } from '../i18n.js';
import type { Page } from '../page.js';
import { terminalsPanel } from './terminals-panel.js';

interface Feature {
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}
interface FC {
  features: Feature[];
}
type XY = [number, number];

const ZONE_STYLE: Record<string, [string, string]> = {
  jurisdiction: ['rgba(80,120,200,0.06)', '#5b7fc7'],
  construction_site: ['rgba(230,160,40,0.18)', '#d98e1a'],
  disposal_site: ['rgba(60,170,90,0.2)', '#2e9b55'],
  approved_route: ['rgba(0,0,0,0)', '#8a6fd1'],
  no_vending: ['rgba(220,70,70,0.12)', '#d04848'],
  restricted: ['rgba(120,120,120,0.15)', '#777'],
};

/**
 * The offline map: zones, routes and labels drawn from the project's own GeoJSON on a canvas
 * (no tile server), live truck positions refreshed every 10 s, incidents. Drag to pan, wheel to zoom.
 */
export const mapPage: Page = (root) => {
  const canvas = document.createElement('canvas');
  canvas.className = 'map';
  canvas.id = 'map';
  const info = h('div.map-info');
  const terminals = terminalsPanel();
  clear(root, h('div.map-wrap', canvas, info, terminals.element));
  let zones: Feature[] = [];
  let trucks: Feature[] = [];
  let incidents: IncidentSummary[] = [];
  let center: XY = [116.4, 39.95];
  let scale = 4000; // pixels per degree of longitude
  let fitted = false;
  const ctx = canvas.getContext('2d');
  if (!ctx) return terminals.stop;

  const project = ([lon, lat]: XY): XY => {
    const k = Math.cos((center[1] * Math.PI) / 180);
    return [canvas.width / 2 + (lon - center[0]) * scale * k, canvas.height / 2 - (lat - center[1]) * scale];
  };
  const rings = (g: Feature['geometry']): XY[][] => {
    if (g.type === 'Polygon') return g.coordinates as XY[][];
    if (g.type === 'MultiPolygon') return (g.coordinates as XY[][][]).flat();
    if (g.type === 'LineString') return [g.coordinates as XY[]];
    return [];
  };
  const fit = (): void => {
    const pts = zones.flatMap((z) => rings(z.geometry).flat());
    if (pts.length === 0) return;
    const lons = pts.map((p) => p[0]);
    const lats = pts.map((p) => p[1]);
    center = [(Math.min(...lons) + Math.max(...lons)) / 2, (Math.min(...lats) + Math.max(...lats)) / 2];
    const k = Math.cos((center[1] * Math.PI) / 180);
    scale =
      0.9 *
      Math.min(
        canvas.width / ((Math.max(...lons) - Math.min(...lons)) * k || 1e-3),
        canvas.height / (Math.max(...lats) - Math.min(...lats) || 1e-3),
      );
    fitted = true;
  };

  const draw = (): void => {
    const t0 = performance.now();
    const r = canvas.getBoundingClientRect();
    if (canvas.width !== Math.round(r.width) || canvas.height !== Math.round(r.height)) {
      canvas.width = Math.round(r.width);
      canvas.height = Math.round(r.height);
    }
    if (!fitted) fit();
    ctx.fillStyle = '#f4f1ea';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    for (const z of zones) {
      const kind = String(z.properties.kind);
      const [fill, stroke] = ZONE_STYLE[kind] ?? ['rgba(0,0,0,0.05)', '#999'];
      ctx.beginPath();
      for (const ring of rings(z.geometry))
        ring.forEach((p, i) => {
          const [x, y] = project(p);
          if (i === 0) ctx.moveTo(x, y);
          else ctx.lineTo(x, y);
        });
      if (z.geometry.type === 'LineString') {
        ctx.lineWidth = 4;
        ctx.strokeStyle = stroke;
        ctx.setLineDash([8, 6]);
        ctx.stroke();
        ctx.setLineDash([]);
      } else {
        ctx.fillStyle = fill;
        ctx.fill('evenodd');
        ctx.lineWidth = kind === 'jurisdiction' ? 2 : 1;
        ctx.strokeStyle = stroke;
        ctx.stroke();
      }
    }
    ctx.font = '13px system-ui, "Noto Sans CJK SC", sans-serif';
    ctx.textAlign = 'center';
    for (const z of zones) {
      const pts = rings(z.geometry).flat();
      if (pts.length === 0) continue;
      const [x, y] = project([
        pts.reduce((s, p) => s + p[0], 0) / pts.length,
        pts.reduce((s, p) => s + p[1], 0) / pts.length,
      ]);
      ctx.fillStyle = z.properties.kind === 'jurisdiction' ? '#3b5a9a' : '#444';
      ctx.fillText(String(z.properties.name), x, y);
    }
    for (const i of incidents) {
      if (!i.location) continue;
      const [x, y] = project(i.location);
      ctx.beginPath();
      ctx.arc(x, y, 9, 0, Math.PI * 2);
      ctx.fillStyle = i.status === 'closed' ? 'rgba(120,120,120,0.5)' : 'rgba(220,40,40,0.85)';
      ctx.fill();
      ctx.fillStyle = '#fff';
      ctx.fillText('!', x, y + 4);
    }
    // Trucks last: thousands of small arrows, one path per fill colour.
    for (const load of ['full', 'other']) {
      ctx.beginPath();
      for (const f of trucks) {
        const isFull = f.properties.loadState === 'full';
        if ((load === 'full') !== isFull) continue;
        const [x, y] = project(f.geometry.coordinates as XY);
        if (x < -10 || y < -10 || x > canvas.width + 10 || y > canvas.height + 10) continue;
        ctx.moveTo(x + 4, y);
        ctx.arc(x, y, 4, 0, Math.PI * 2);
      }
      ctx.fillStyle = load === 'full' ? '#c0392b' : '#1f6fb2';
      ctx.fill();
    }
    info.textContent = `${t('zones')} ${String(zones.length)} · ${t('trucks')} ${String(trucks.length)} · ${t('alerts')} ${String(incidents.length)} · ${(performance.now() - t0).toFixed(1)} ms`;
    canvas.dataset.frameMs = (performance.now() - t0).toFixed(2);
  };

  let drag: XY | null = null;
  canvas.addEventListener('mousedown', (e) => (drag = [e.clientX, e.clientY]));
  window.addEventListener('mouseup', () => (drag = null));
  canvas.addEventListener('mousemove', (e) => {
    if (!drag) return;
    const k = Math.cos((center[1] * Math.PI) / 180);
    center = [center[0] - (e.clientX - drag[0]) / (scale * k), center[1] + (e.clientY - drag[1]) / scale];
    drag = [e.clientX, e.clientY];
    draw();
  });
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    scale *= e.deltaY < 0 ? 1.2 : 1 / 1.2;
    draw();
  });
  canvas.addEventListener('click', (e) => {
    const r = canvas.getBoundingClientRect();
    for (const i of incidents) {
      if (!i.location) continue;
      const [x, y] = project(i.location);
      if (Math.hypot(x - (e.clientX - r.left), y - (e.clientY - r.top)) < 10) {
        info.textContent = `#${String(i.id)} ${typeName(i.type)} ${i.plate ?? ''}`;
        location.hash = `#/alerts/${String(i.id)}`;
      }
    }
  });

  const refreshTrucks = async (): Promise<void> => {
    trucks = (await api<FC>('GET', '/api/vehicles/positions').catch(() => ({ features: [] }))).features;
    draw();
  };
  void (async () => {
    zones = (await api<FC>('GET', '/api/zones')).features;
    incidents = (await api<ApiPage<IncidentSummary>>('GET', '/api/incidents?pageSize=200')).items;
    await refreshTrucks();
  })();
  const timer = setInterval(() => void refreshTrucks(), 10_000);
  const onResize = (): void => {
    draw();
  };
  window.addEventListener('resize', onResize);
  return () => {
    terminals.stop();
    clearInterval(timer);
    window.removeEventListener('resize', onResize);
  };
};

import { h } from '../dom.js';
import { fmtTime } from '../i18n.js';

const NS = 'http://www.w3.org/2000/svg';
const svgEl = (tag: string, attrs: Record<string, string | number>): SVGElement => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};

/** The GPS excerpt as an SVG polyline in a local equirectangular frame (no tiles needed). */
export function trackSvg(
  track: { vehicleId: number; t: string; lon: number; lat: number }[],
  at: [number, number] | null,
): Element {
  if (track.length === 0) return h('p.muted', '—');
  const pts = [...track.map((p) => [p.lon, p.lat] as [number, number]), ...(at ? [at] : [])];
  const lat0 = (pts.reduce((s, p) => s + p[1], 0) / pts.length) * (Math.PI / 180);
  const xs = pts.map((p) => p[0] * Math.cos(lat0));
  const ys = pts.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max(maxX - minX, maxY - minY, 1e-4);
  const W = 360;
  const H = 180;
  const sc = Math.min(W, H) / span / 1.15;
  const px = (lon: number, lat: number): [number, number] => [
    W / 2 + (lon * Math.cos(lat0) - (minX + maxX) / 2) * sc,
    H / 2 - (lat - (minY + maxY) / 2) * sc,
  ];
  const svg = svgEl('svg', { viewBox: `0 0 ${String(W)} ${String(H)}`, class: 'track' });
  const byVehicle = new Map<number, typeof track>();
  for (const p of track) byVehicle.set(p.vehicleId, [...(byVehicle.get(p.vehicleId) ?? []), p]);
  for (const line of byVehicle.values()) {
    svg.append(
      svgEl('polyline', { points: line.map((p) => px(p.lon, p.lat).join(',')).join(' '), class: 'trk' }),
    );
    const first = line[0];
    const last = line.at(-1);
    if (first && last) {
      const [x0, y0] = px(first.lon, first.lat);
      const [x1, y1] = px(last.lon, last.lat);
      svg.append(svgEl('circle', { cx: x0, cy: y0, r: 3, class: 'trk-start' }));
      svg.append(svgEl('circle', { cx: x1, cy: y1, r: 4, class: 'trk-end' }));
      const label = svgEl('text', { x: x1 + 6, y: y1 - 6, class: 'trk-label' });
      label.textContent = fmtTime(last.t, false);
      svg.append(label);
    }
  }
  if (at) {
    const [x, y] = px(at[0], at[1]);
    svg.append(svgEl('circle', { cx: x, cy: y, r: 7, class: 'inc-at' }));
  }
  const cursor = svgEl('circle', { cx: -20, cy: -20, r: 6, class: 'cursor' });
  svg.append(cursor);
  const times = track.map((p) => Date.parse(p.t));
  cursors.set(svg, (ms) => {
    // The truck's position at clip time: the last fix at or before it.
    let i = 0;
    while (i + 1 < track.length && (times[i + 1] ?? Infinity) <= ms) i++;
    const p = track[i];
    if (!p) return;
    const [x, y] = px(p.lon, p.lat);
    cursor.setAttribute('cx', String(x));
    cursor.setAttribute('cy', String(y));
  });
  return svg;
}

const cursors = new WeakMap<Element, (ms: number) => void>();

/** Move the truck marker of a track drawn by trackSvg to an event time (ms since epoch). */
export function moveTrackCursor(svg: Element, ms: number): void {
  cursors.get(svg)?.(ms);
}

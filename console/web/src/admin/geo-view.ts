/** A minimal offline map for the admin pages: fit to content, project lon/lat ↔ canvas pixels. */
export type XY = [number, number];

export interface GeoFeature {
  id?: number;
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown>;
}

const STYLE: Record<string, [string, string]> = {
  jurisdiction: ['rgba(80,120,200,0.05)', '#5b7fc7'],
  construction_site: ['rgba(230,160,40,0.18)', '#d98e1a'],
  disposal_site: ['rgba(60,170,90,0.2)', '#2e9b55'],
  approved_route: ['rgba(0,0,0,0)', '#8a6fd1'],
  no_vending: ['rgba(220,70,70,0.12)', '#d04848'],
  restricted: ['rgba(120,120,120,0.15)', '#777'],
};

export function ringsOf(g: GeoFeature['geometry']): XY[][] {
  if (!g) return [];
  if (g.type === 'Polygon') return g.coordinates as XY[][];
  if (g.type === 'MultiPolygon') return (g.coordinates as XY[][][]).flat();
  if (g.type === 'LineString') return [g.coordinates as XY[]];
  return [];
}

export class GeoView {
  center: XY = [116.4, 39.95];
  scale = 4000;
  readonly ctx: CanvasRenderingContext2D;

  constructor(readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d canvas');
    this.ctx = ctx;
  }

  fit(points: XY[]): void {
    if (points.length === 0) return;
    const lons = points.map((p) => p[0]);
    const lats = points.map((p) => p[1]);
    this.center = [(Math.min(...lons) + Math.max(...lons)) / 2, (Math.min(...lats) + Math.max(...lats)) / 2];
    const k = Math.cos((this.center[1] * Math.PI) / 180);
    this.scale =
      0.9 *
      Math.min(
        this.canvas.width / ((Math.max(...lons) - Math.min(...lons)) * k || 1e-3),
        this.canvas.height / (Math.max(...lats) - Math.min(...lats) || 1e-3),
      );
  }

  project([lon, lat]: XY): XY {
    const k = Math.cos((this.center[1] * Math.PI) / 180);
    return [
      this.canvas.width / 2 + (lon - this.center[0]) * this.scale * k,
      this.canvas.height / 2 - (lat - this.center[1]) * this.scale,
    ];
  }

  unproject([x, y]: XY): XY {
    const k = Math.cos((this.center[1] * Math.PI) / 180);
    const lon = this.center[0] + (x - this.canvas.width / 2) / (this.scale * k);
    const lat = this.center[1] - (y - this.canvas.height / 2) / this.scale;
    return [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
  }

  /** Zoom by a factor around the centre (wheel). */
  zoom(f: number): void {
    this.scale *= f;
  }

  drawFeatures(features: readonly GeoFeature[], highlight?: number): void {
    const { ctx } = this;
    ctx.fillStyle = '#f4f1ea';
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    for (const f of features) {
      const kind = String(f.properties.kind);
      const [fill, stroke] = STYLE[kind] ?? ['rgba(0,0,0,0.05)', '#999'];
      ctx.beginPath();
      for (const ring of ringsOf(f.geometry))
        ring.forEach((p, i) => {
          const [x, y] = this.project(p);
          if (i === 0) ctx.moveTo(x, y);
          else ctx.lineTo(x, y);
        });
      ctx.lineWidth = f.id !== undefined && f.id === highlight ? 3 : 1;
      ctx.strokeStyle = stroke;
      if (f.geometry?.type !== 'LineString') {
        ctx.fillStyle = fill;
        ctx.fill('evenodd');
      }
      ctx.stroke();
    }
  }
}

import type { ImageBox, ImageZone, ImageZoneKind } from './types.js';

export function center(b: ImageBox): [number, number] {
  return [b.x + b.w / 2, b.y + b.h / 2];
}

export function iou(a: ImageBox, b: ImageBox): number {
  const ix = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const iy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (ix <= 0 || iy <= 0) return 0;
  const inter = ix * iy;
  return inter / (a.w * a.h + b.w * b.h - inter);
}

/** Distance between the edges of two boxes (0 when they touch or overlap). */
export function gap(a: ImageBox, b: ImageBox): number {
  const dx = Math.max(0, a.x - (b.x + b.w), b.x - (a.x + a.w));
  const dy = Math.max(0, a.y - (b.y + b.h), b.y - (a.y + a.h));
  return Math.hypot(dx, dy);
}

/** Even-odd ray casting. */
export function pointInPolygon(
  px: number,
  py: number,
  poly: readonly (readonly [number, number])[],
): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const pi = poly[i];
    const pj = poly[j];
    if (!pi || !pj) continue;
    const [xi, yi] = pi;
    const [xj, yj] = pj;
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Zone membership by the box's bottom centre — where the object touches the ground — since the
 * zones are drawn on the road surface; a tall object's centre can sit over the line.
 */
export function inZone(b: ImageBox, zones: readonly ImageZone[], kind: ImageZoneKind): ImageZone | undefined {
  const x = b.x + b.w / 2;
  const y = b.y + b.h;
  return zones.find((z) => z.kind === kind && pointInPolygon(x, y, z.polygon));
}

import type { Box } from './types.js';

/**
 * The ByteTrack/SORT constant-velocity Kalman filter over (cx, cy, aspect, h).
 *
 * Its matrices (F, H, Q, R and the initial P) never couple two of the four coordinates: each one
 * is its own [position, velocity] filter that only shares a noise scale (the box height). So it
 * runs as four 2-state filters — the same numbers as the 8-state form, without 8×8 algebra.
 * Time is continuous (seconds), not frames, so a dropped frame is just a longer step; the
 * per-frame noise weights of ByteTrack apply at the nominal interval `refDtS`.
 */
const W_POS = 1 / 20;
const W_VEL = 1 / 160;

/** Per coordinate: position, velocity (per second), covariance [a b; b c]. */
interface Dim {
  p: number;
  v: number;
  a: number;
  b: number;
  c: number;
}

export interface KalmanBox {
  readonly dims: [Dim, Dim, Dim, Dim];
}

const CX = 0;
const CY = 1;
const AR = 2;
const H = 3;

/** Position and velocity noise scales of one coordinate (aspect has fixed ones, as in ByteTrack). */
function scales(i: number, h: number): { pos: number; vel: number } {
  return i === AR ? { pos: 1e-2, vel: 1e-5 } : { pos: W_POS * h, vel: W_VEL * h };
}

function measure(box: Box): [number, number, number, number] {
  const h = Math.max(box.h, 1e-6);
  return [box.x + box.w / 2, box.y + box.h / 2, box.w / h, h];
}

export function initKalman(box: Box, refDtS: number): KalmanBox {
  const z = measure(box);
  const h = z[H];
  const dim = (i: number): Dim => {
    const s = scales(i, h);
    const sp = 2 * s.pos;
    const sv = (10 * s.vel) / refDtS;
    return { p: z[i] ?? 0, v: 0, a: sp * sp, b: 0, c: sv * sv };
  };
  return { dims: [dim(CX), dim(CY), dim(AR), dim(H)] };
}

/** Advance by dtS seconds. `freezeHeight` zeroes the height velocity, as ByteTrack does for tracks not seen last frame. */
export function predictKalman(k: KalmanBox, dtS: number, refDtS: number, freezeHeight: boolean): void {
  const h = k.dims[H].p;
  if (freezeHeight) k.dims[H].v = 0;
  // Random-walk noise grows linearly with elapsed time; at dt = refDtS it is ByteTrack's per-frame Q.
  const steps = dtS / refDtS;
  k.dims.forEach((d, i) => {
    const s = scales(i, h);
    const qp = s.pos * s.pos * steps;
    const qv = (s.vel / refDtS) ** 2 * steps;
    d.p += d.v * dtS;
    const a = d.a + 2 * dtS * d.b + dtS * dtS * d.c + qp;
    const b = d.b + dtS * d.c;
    d.a = a;
    d.b = b;
    d.c = d.c + qv;
  });
}

export function updateKalman(k: KalmanBox, box: Box): void {
  const z = measure(box);
  const h = k.dims[H].p;
  k.dims.forEach((d, i) => {
    const r = i === AR ? 1e-1 : W_POS * h;
    const s = d.a + r * r;
    const k0 = d.a / s;
    const k1 = d.b / s;
    const y = (z[i] ?? 0) - d.p;
    d.p += k0 * y;
    d.v += k1 * y;
    const c = d.c - k1 * d.b;
    d.a = (1 - k0) * d.a;
    d.b = (1 - k0) * d.b;
    d.c = c;
  });
}

export function kalmanBox(k: KalmanBox): Box {
  const [cx, cy, ar, hh] = k.dims;
  const h = Math.max(hh.p, 0);
  const w = Math.max(ar.p, 0) * h;
  return { x: cx.p - w / 2, y: cy.p - h / 2, w, h };
}

export function kalmanVelocity(k: KalmanBox): { vx: number; vy: number } {
  return { vx: k.dims[CX].v, vy: k.dims[CY].v };
}

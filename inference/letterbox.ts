/**
 * Letterbox geometry shared by ffmpeg's filter graph (scale with force_original_aspect_ratio=
 * decrease, then pad centred) and still-image preprocessing, and the inverse that maps model
 * boxes back to source pixels.
 */
export interface Letterbox {
  readonly scale: number;
  readonly padX: number;
  readonly padY: number;
  readonly srcW: number;
  readonly srcH: number;
}

export function letterbox(srcW: number, srcH: number, dstW: number, dstH: number): Letterbox {
  const scale = Math.min(dstW / srcW, dstH / srcH);
  // ffmpeg rounds the scaled size to an even number for yuv sources; for rgb24 to the nearest pixel.
  const w = Math.round(srcW * scale);
  const h = Math.round(srcH * scale);
  return { scale, padX: Math.floor((dstW - w) / 2), padY: Math.floor((dstH - h) / 2), srcW, srcH };
}

export interface SourceBox {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Model-input corners → source-pixel box, clipped to the source image. */
export function toSource(lb: Letterbox, c: { x1: number; y1: number; x2: number; y2: number }): SourceBox {
  const clip = (v: number, max: number): number => Math.min(max, Math.max(0, v));
  const x1 = clip((c.x1 - lb.padX) / lb.scale, lb.srcW);
  const y1 = clip((c.y1 - lb.padY) / lb.scale, lb.srcH);
  const x2 = clip((c.x2 - lb.padX) / lb.scale, lb.srcW);
  const y2 = clip((c.y2 - lb.padY) / lb.scale, lb.srcH);
  return { x: x1, y: y1, w: x2 - x1, h: y2 - y1 };
}

/**
 * A box in the pixels of the picture that was analysed → the same box in the pixels of `view`, a
 * picture of the same scene at another size (a camera's main stream, when its sub stream is
 * analysed). Each axis scales on its own: a 704×576 sub stream of a 16:9 camera is anamorphic.
 */
export function toView(
  box: SourceBox,
  from: { readonly width: number; readonly height: number },
  view: { readonly width: number; readonly height: number },
): SourceBox {
  const sx = view.width / from.width;
  const sy = view.height / from.height;
  return { x: box.x * sx, y: box.y * sy, w: box.w * sx, h: box.h * sy };
}

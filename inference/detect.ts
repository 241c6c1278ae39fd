import { classThreshold, type ModelManifest } from '../models/index.js';
import { DECODERS, LAYOUT_HAS_NMS } from './decoders/index.js';
import { toSource, type Letterbox, type SourceBox } from './letterbox.js';
import { nms } from './nms.js';

/** One detection in source-image pixels. */
export interface Detection {
  readonly cls: string;
  readonly score: number;
  readonly box: SourceBox;
}

/** Per-class score thresholds in class-index order (manifest per-class, else default). */
export function thresholdsOf(m: ModelManifest): number[] {
  return m.classes.map((c) => classThreshold(m, c));
}

/**
 * Decode a batch output into detections per image: layout decoder → class-aware NMS (unless the
 * model did it) → boxes mapped back through each image's letterbox to source pixels.
 */
export function decodeBatch(
  m: ModelManifest,
  output: Float32Array,
  dims: readonly number[],
  letterboxes: readonly Letterbox[],
  /** Keep boxes down to this score (the tracker's second association wants low-score boxes). */
  scoreFloor?: number,
): Detection[][] {
  const decode = DECODERS[m.output.layout];
  const thresholds = thresholdsOf(m).map((t) => (scoreFloor === undefined ? t : Math.min(t, scoreFloor)));
  return letterboxes.map((lb, b) => {
    const candidates = decode(output, dims, b, { thresholds });
    const kept = LAYOUT_HAS_NMS[m.output.layout] ? candidates : nms(candidates, m.thresholds.nmsIou);
    return kept
      .map((c) => ({
        cls: m.classes[c.cls] ?? `class_${String(c.cls)}`,
        score: c.score,
        box: toSource(lb, c),
      }))
      .filter((d) => d.box.w > 0 && d.box.h > 0);
  });
}

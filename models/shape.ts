/**
 * Pure checks of a model's tensor shapes against its manifest. Dimensions may be numbers or
 * symbolic names (a dynamic batch is "batch"); only numbers can disagree.
 */
import type { ModelManifest, OutputLayout } from './manifest.js';

export type Dim = number | string;

const fmt = (dims: readonly Dim[]): string => `[${dims.join(', ')}]`;
const num = (d: Dim | undefined): d is number => typeof d === 'number' && d >= 0;

/** Problems with the input shape: (batch, 3, height, width) float32. */
export function inputShapeProblems(m: ModelManifest, dims: readonly Dim[], type?: string): string[] {
  const out: string[] = [];
  if (type !== undefined && type !== 'float32') out.push(`input is ${type}; MuckWatch feeds float32`);
  if (dims.length !== 4) return [...out, `input shape ${fmt(dims)} is not (batch, channels, height, width)`];
  const [, c, h, w] = dims;
  if (num(c) && c !== 3) out.push(`input has ${c} channels, expected 3 (${m.input.channels})`);
  if ((num(h) && h !== m.input.height) || (num(w) && w !== m.input.width)) {
    out.push(
      `input is ${String(w)}x${String(h)} (width x height) but the manifest says ${m.input.width}x${m.input.height}`,
    );
  }
  return out;
}

/** What each layout's last two dimensions hold, for messages. */
const LAYOUT_SHAPE: Readonly<Record<OutputLayout, string>> = {
  yolov8: '(batch, 4 + classes, cells)',
  yolov5: '(batch, cells, 5 + classes)',
  end2end: '(batch, detections, 6)',
};

/** Problems with the output shape for the manifest's layout and class count. */
export function outputShapeProblems(m: ModelManifest, dims: readonly Dim[]): string[] {
  const layout = m.output.layout;
  const nc = m.classes.length;
  if (dims.length !== 3) {
    return [`output shape ${fmt(dims)} has rank ${dims.length}; layout ${layout} is ${LAYOUT_SHAPE[layout]}`];
  }
  const [, a, b] = dims;
  const guess = guessLayout(dims);
  const hint =
    guess && guess.layout !== layout
      ? ` (it looks like the ${guess.layout} layout${guess.nc === undefined ? '' : ` with ${guess.nc} classes`})`
      : '';
  if (layout === 'yolov8' && num(a) && a !== 4 + nc) {
    return [
      `output ${fmt(dims)} has ${a} values per cell but layout yolov8 with the manifest's ${nc} classes needs 4 + ${nc} = ${4 + nc}${hint}`,
    ];
  }
  if (layout === 'yolov5' && num(b) && b !== 5 + nc) {
    return [
      `output ${fmt(dims)} has ${b} values per cell but layout yolov5 with the manifest's ${nc} classes needs 5 + ${nc} = ${5 + nc}${hint}`,
    ];
  }
  if (layout === 'end2end' && num(b) && b !== 6) {
    return [
      `output ${fmt(dims)} has ${b} values per detection; layout end2end needs 6 (x1, y1, x2, y2, score, class)${hint}`,
    ];
  }
  return [];
}

/** Best guess at a layout from a shape, for error hints: cells outnumber per-cell values. */
export function guessLayout(dims: readonly Dim[]): { layout: OutputLayout; nc?: number } | null {
  const [, a, b] = dims;
  if (!num(a) || !num(b)) return null;
  if (b === 6 && a < 1000) return { layout: 'end2end' };
  if (a < b && a > 4) return { layout: 'yolov8', nc: a - 4 };
  if (b < a && b > 5) return { layout: 'yolov5', nc: b - 5 };
  return null;
}

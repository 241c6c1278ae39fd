/** A candidate box from a decoder, corners in model-input pixels. */
export interface Candidate {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly score: number;
  readonly cls: number;
}

export interface DecodeOptions {
  /** Score threshold per class index (strictly greater passes). */
  readonly thresholds: readonly number[];
}

/**
 * Decode one image of a batch: `data` is the whole output tensor, `dims` its shape, `b` the
 * image index. Every layout decoder has this shape, chosen by the manifest's `output.layout`.
 */
export type Decoder = (
  data: Float32Array,
  dims: readonly number[],
  b: number,
  opts: DecodeOptions,
) => Candidate[];

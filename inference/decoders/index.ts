import type { OutputLayout } from '../../models/index.js';
import { decodeEnd2end } from './end2end.js';
import type { Decoder } from './types.js';
import { decodeYolov5 } from './yolov5.js';
import { decodeYolov8 } from './yolov8.js';

export type { Candidate, Decoder, DecodeOptions } from './types.js';

/** One decoder per output layout the manifest can name. */
export const DECODERS: Readonly<Record<OutputLayout, Decoder>> = {
  yolov8: decodeYolov8,
  yolov5: decodeYolov5,
  end2end: decodeEnd2end,
};

/** Whether the model already applied NMS (then we must not apply it again). */
export const LAYOUT_HAS_NMS: Readonly<Record<OutputLayout, boolean>> = {
  yolov8: false,
  yolov5: false,
  end2end: true,
};

/** Where the shipped files are, so inference/ and tests need not know this folder's layout. */
import { fileURLToPath } from 'node:url';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/** Manifest of the shipped reference detector. */
export const REFERENCE_MODEL = here('./muckwatch-v1/manifest.json');

/** The decoder format zoo: one model per output layout, its manifest and its expected outputs. */
export const ZOO = {
  input: here('./zoo/input.f32'),
  yolov8: { manifest: here('./zoo/yolov8.manifest.json'), expected: here('./zoo/yolov8.expected.json') },
  yolov5: { manifest: here('./zoo/yolov5.manifest.json'), expected: here('./zoo/yolov5.expected.json') },
  end2end: { manifest: here('./zoo/end2end.manifest.json'), expected: here('./zoo/end2end.expected.json') },
} as const;

/**
 * The model manifest: everything the pipeline must know about an ONNX detector that the file
 * itself does not say reliably (normalisation, output layout, class names and what they mean
 * on the street, thresholds, where it came from and how well it did). A model is data: any
 * model with a valid manifest drops in, including one a city fine-tuned on its own footage.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DETECTION_TYPES, MuckError } from '../core/index.js';

/** Output layouts the decoders in inference/ understand. */
export const OUTPUT_LAYOUTS = ['yolov8', 'yolov5', 'end2end'] as const;
export type OutputLayout = (typeof OUTPUT_LAYOUTS)[number];

const probability = z.number().min(0).max(1);
const rgb = z.tuple([z.number(), z.number(), z.number()]);

const apSchema = z.strictObject({ ap50: probability.nullable(), ap: probability.nullable() });

export const manifestSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    name: z.string().min(1),
    version: z.string().min(1),
    description: z.string().optional(),
    /** ONNX file, relative to the manifest. */
    file: z.string().min(1),
    /** SHA-256 of the ONNX file: a truncated or swapped file fails at load. */
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    input: z.strictObject({
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      channels: z.enum(['rgb', 'bgr']),
      /** pixel' = (pixel × scale − mean) / std, per channel; YOLO models: scale 1/255, mean 0, std 1. */
      scale: z.number().positive(),
      mean: rgb,
      std: rgb,
      /** Letterbox padding value (0..255) around the scaled frame. */
      letterboxPad: z.number().int().min(0).max(255),
    }),
    output: z.strictObject({ layout: z.enum(OUTPUT_LAYOUTS) }),
    classes: z.array(z.string().min(1)).min(1),
    /** Class → detection type; classes not listed (person, car…) are context, never events. */
    detections: z.record(z.string(), z.enum(DETECTION_TYPES)),
    thresholds: z.strictObject({
      default: probability,
      nmsIou: probability,
      perClass: z.record(z.string(), probability).optional(),
    }),
    training: z
      .strictObject({
        dataset: z.string(),
        images: z.record(z.string(), z.number().int().nonnegative()),
        imgsz: z.number().int().positive(),
        epochs: z.number().int().nonnegative(),
        minutes: z.number().nonnegative().optional(),
        notes: z.string().optional(),
      })
      .optional(),
    metrics: z
      .strictObject({
        split: z.string(),
        images: z.number().int().nonnegative(),
        map50: probability,
        map: probability,
        perClass: z.record(z.string(), apSchema),
      })
      .optional(),
  })
  .superRefine((m, ctx) => {
    const known = new Set(m.classes);
    if (known.size !== m.classes.length) {
      ctx.addIssue({ code: 'custom', path: ['classes'], message: 'class names must be unique' });
    }
    for (const [where, rec] of [
      ['detections', m.detections],
      ['thresholds.perClass', m.thresholds.perClass ?? {}],
    ] as const) {
      for (const name of Object.keys(rec)) {
        if (!known.has(name)) {
          ctx.addIssue({
            code: 'custom',
            path: where.split('.'),
            message: `"${name}" is not one of the model's classes (${m.classes.join(', ')})`,
          });
        }
      }
    }
  });

export type ModelManifest = z.infer<typeof manifestSchema>;

/** Validate a manifest object; `source` names it in the error. */
export function parseManifest(value: unknown, source: string): ModelManifest {
  const r = manifestSchema.safeParse(value);
  if (r.success) return r.data;
  throw new MuckError(
    'MW_MODEL_MANIFEST_INVALID',
    `Model manifest ${source} is invalid; fix the listed fields.`,
    r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
  );
}

/** Read and validate a manifest JSON file. */
export function readManifest(path: string): ModelManifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new MuckError('MW_MODEL_MANIFEST_INVALID', `Model manifest ${path} cannot be read.`, [], {
      cause: err,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new MuckError(
      'MW_MODEL_MANIFEST_INVALID',
      `Model manifest ${path} is not valid JSON.`,
      [err instanceof Error ? err.message : String(err)],
      { cause: err },
    );
  }
  return parseManifest(value, path);
}

/** Score threshold for one class: its own if set, else the manifest default. */
export function classThreshold(m: ModelManifest, cls: string): number {
  return m.thresholds.perClass?.[cls] ?? m.thresholds.default;
}

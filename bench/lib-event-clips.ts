/**
 * The event clips both camera-event checks use: the committed fixture clips plus variants of them
 * at dusk in rain and at night in fog (rendered on first use into .data/bench/camera-events; never
 * seen in training), each with its ground-truth events and the image zones the demo city draws.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseScenario, renderClip, type ClipGroundTruth } from '../fixtures/index.js';
import type { ImageZone } from '../rules/index.js';

const band = (top: number): ImageZone['polygon'] => [
  [0, 360 * top],
  [640, 360 * top],
  [640, 360],
  [0, 360],
];
/** Zones as the demo city draws them on these views (source pixels of 640×360 clips). */
const ZONES: Record<string, ImageZone[]> = {
  'dumping-gate': [{ id: 'gate-road', kind: 'site_gate', polygon: band(0.5) }],
  'vending-street': [{ id: 'pavement', kind: 'no_vending', polygon: band(0.8) }],
};
const VARIANTS = [
  { suffix: 'v-dusk-rain', time: 'dusk', weather: 'rain' },
  { suffix: 'v-night-fog', time: 'night', weather: 'fog' },
] as const;
export const VARIANT_DIR = '.data/bench/camera-events';
const BASES = ['dumping-gate', 'vending-street', 'distractors-day', 'distractors-night-rain'];

export interface Clip {
  readonly id: string;
  readonly base: string;
  readonly path: string;
  readonly gt: ClipGroundTruth;
}

/** The clips, rendering missing variants into `dir` first. */
export async function clipSet(dir = VARIANT_DIR): Promise<Clip[]> {
  mkdirSync(dir, { recursive: true });
  const clips: Clip[] = BASES.map((b) => ({
    id: b,
    base: b,
    path: `fixtures/clips/${b}.mp4`,
    gt: JSON.parse(readFileSync(`fixtures/clips/${b}.gt.json`, 'utf8')) as ClipGroundTruth,
  }));
  for (const b of BASES) {
    for (const v of VARIANTS) {
      const doc = parse(readFileSync(`fixtures/scenarios/${b}.yaml`, 'utf8')) as {
        id: string;
        seed: string;
        scene: Record<string, unknown>;
      };
      doc.id = `${b}-${v.suffix}`;
      doc.seed = `${b}-${v.suffix}`;
      doc.scene = { ...doc.scene, time: v.time, weather: v.weather };
      const out = join(dir, doc.id);
      // Rendered once, then reused: the variants are deterministic (seeded).
      const gt = existsSync(`${out}.gt.json`)
        ? (JSON.parse(readFileSync(`${out}.gt.json`, 'utf8')) as ClipGroundTruth)
        : await renderClip(parseScenario(doc, doc.id), { base: out, resolution: '360p', crf: 28 });
      clips.push({ id: doc.id, base: b, path: `${out}.mp4`, gt });
    }
  }
  return clips;
}

/** The image zones of a clip's camera. */
export const zonesOf = (clip: Clip | undefined): ImageZone[] => ZONES[clip?.base ?? ''] ?? [];

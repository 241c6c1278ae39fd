/**
 * The event clips both camera-event checks use: the committed fixture clips, variants of them at
 * dusk in rain and at night in fog, and scenarios generated from held-out seeds (three of each
 * generated kind, in random settings). Variants and generated clips are rendered on first use into
 * .data/bench/camera-events; none is ever seen in training. Each comes with its ground-truth events
 * and the image zones the demo city draws on such a view.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  generateScenario,
  GENERATED_KINDS,
  parseScenario,
  renderClip,
  type ClipGroundTruth,
} from '../fixtures/index.js';
import type { ImageZone } from '../rules/index.js';

const band = (top: number): ImageZone['polygon'] => [
  [0, 360 * top],
  [640, 360 * top],
  [640, 360],
  [0, 360],
];
const GATE: ImageZone[] = [{ id: 'gate-road', kind: 'site_gate', polygon: band(0.5) }];
const PAVEMENT: ImageZone[] = [{ id: 'pavement', kind: 'no_vending', polygon: band(0.8) }];
/** Zones as the demo city draws them on these views (source pixels of 640×360 clips). */
const ZONES: Record<string, ImageZone[]> = { 'dumping-gate': GATE, 'vending-street': PAVEMENT };
const VARIANTS = [
  { suffix: 'v-dusk-rain', time: 'dusk', weather: 'rain' },
  { suffix: 'v-night-fog', time: 'night', weather: 'fog' },
] as const;
export const VARIANT_DIR = '.data/bench/camera-events';
const BASES = ['dumping-gate', 'vending-street', 'distractors-day', 'distractors-night-rain'];
/** Generated clips: this many of each kind, seeds held-out-1, held-out-2, … (kinds in turn). */
const GENERATED_PER_KIND = 3;

export interface Clip {
  readonly id: string;
  readonly path: string;
  readonly gt: ClipGroundTruth;
  readonly zones: ImageZone[];
  /** Nothing in it may raise an event (a distractor-only scenario). */
  readonly distractorsOnly: boolean;
}

/** Renders a scenario document into `dir` once; later calls read what was rendered (seeded). */
async function rendered(doc: unknown, id: string, dir: string): Promise<ClipGroundTruth> {
  const out = join(dir, id);
  return existsSync(`${out}.gt.json`)
    ? (JSON.parse(readFileSync(`${out}.gt.json`, 'utf8')) as ClipGroundTruth)
    : await renderClip(parseScenario(doc, id), { base: out, resolution: '360p', crf: 28 });
}

/** The clips, rendering missing variants and generated clips into `dir` first. */
export async function clipSet(dir = VARIANT_DIR): Promise<Clip[]> {
  mkdirSync(dir, { recursive: true });
  const clips: Clip[] = BASES.map((b) => ({
    id: b,
    path: `fixtures/clips/${b}.mp4`,
    gt: JSON.parse(readFileSync(`fixtures/clips/${b}.gt.json`, 'utf8')) as ClipGroundTruth,
    zones: ZONES[b] ?? [],
    distractorsOnly: b.startsWith('distractors'),
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
      const gt = await rendered(doc, doc.id, dir);
      clips.push({
        id: doc.id,
        path: join(dir, `${doc.id}.mp4`),
        gt,
        zones: ZONES[b] ?? [],
        distractorsOnly: b.startsWith('distractors'),
      });
    }
  }
  return [...clips, ...(await generatedClips('held-out', GENERATED_PER_KIND, dir))];
}

/**
 * Clips generated from seeds `${prefix}-1`, `${prefix}-2`, … (the kinds in turn, `perKind` of
 * each), rendered into `dir` when missing. Another prefix gives clips to tune on that the
 * held-out set never sees.
 */
export async function generatedClips(prefix: string, perKind: number, dir = VARIANT_DIR): Promise<Clip[]> {
  mkdirSync(dir, { recursive: true });
  const clips: Clip[] = [];
  for (let i = 0; i < perKind * GENERATED_KINDS.length; i++) {
    const kind = GENERATED_KINDS[i % GENERATED_KINDS.length] ?? 'distractors';
    const doc = generateScenario(`${prefix}-${String(i + 1)}`, kind);
    const gt = await rendered(doc, doc.id, dir);
    clips.push({
      id: doc.id,
      path: join(dir, `${doc.id}.mp4`),
      gt,
      zones: doc.scene.view === 'gate' ? GATE : kind === 'street-vending' ? PAVEMENT : [],
      distractorsOnly: doc.expectNoEvents === true,
    });
  }
  return clips;
}

/** The image zones of a clip's camera. */
export const zonesOf = (clip: Clip | undefined): ImageZone[] => clip?.zones ?? [];

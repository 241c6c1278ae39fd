import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { LOAD_STATES, MuckError } from '../core/index.js';
import type { LonLat } from './geo.js';
import { drive, gap, park, sensor, track, type ExpectedIncident, type TrackBuilder } from './scenario.js';
import type { Fix } from './world.js';

/**
 * Rules acceptance scenarios as files: trucks (their permit settings and a track made of legs)
 * and the incidents the rules must raise — type, truck, a zone the case involves, and roughly
 * when (a leg's start plus seconds). A distractor scenario expects nothing. Places are zone
 * codes (the zone's centre) or [lon, lat]; times start at a local time of day, so night and
 * day rules see the clock the file means, whatever day the scenario is played on.
 */
const place = z.union([z.string().min(1), z.tuple([z.number(), z.number()])]);

const leg = z.union([
  z.object({ stay: z.number().positive(), jitterM: z.number().min(0).default(0) }).strict(),
  z.object({ drive: z.array(place).min(1), kmh: z.number().positive() }).strict(),
  z.object({ gap: z.number().positive(), to: place.optional() }).strict(),
  // One outlier fix (a GPS jump) this far away, then the track carries on where it was.
  z.object({ jump: place }).strict(),
  z.object({ sensor: z.enum(LOAD_STATES).nullable() }).strict(),
]);

const CAMERA_TYPES = ['dumping', 'uncovered_load', 'dust'] as const;

const schedule = z
  .object({ from: z.string().regex(/^\d\d:\d\d$/), to: z.string().regex(/^\d\d:\d\d$/) })
  .strict();

export const rulesScenarioSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(1),
    /** Local time (Asia/Shanghai) of the first fix. */
    startLocal: z.string().regex(/^\d\d:\d\d$/),
    intervalS: z.number().int().positive().default(10),
    trucks: z
      .array(
        z
          .object({
            id: z.string().min(1),
            at: place,
            loadSensor: z.boolean().default(false),
            approvedRoute: z.string().optional(),
            permittedHours: z.array(schedule).optional(),
            legs: z.array(leg).min(1),
          })
          .strict(),
      )
      .min(1),
    /** Camera findings, timed like the incidents (a truck's leg start plus seconds). */
    camera: z
      .array(
        z
          .object({
            camera: z.string().min(1),
            type: z.enum(CAMERA_TYPES),
            truck: z.string().min(1),
            leg: z.number().int().nonnegative(),
            plusS: z.number().default(0),
            confidence: z.number().min(0).max(1).default(0.9),
          })
          .strict(),
      )
      .default([]),
    expect: z.array(
      z
        .object({
          type: z.enum([
            ...CAMERA_TYPES,
            'cross_border_dumping',
            'unpermitted_stop',
            'route_deviation',
            'off_hours',
          ]),
          truck: z.string().min(1),
          camera: z.string().optional(),
          zone: z.string().optional(),
          leg: z.number().int().nonnegative(),
          plusS: z.number().default(0),
          toleranceS: z.number().positive().optional(),
        })
        .strict(),
    ),
  })
  .strict();

export type RulesScenario = z.infer<typeof rulesScenarioSchema>;
export type RulesScenarioTruck = RulesScenario['trucks'][number];

export function parseRulesScenario(text: string, name: string): RulesScenario {
  const r = rulesScenarioSchema.safeParse(parseYaml(text));
  if (!r.success) {
    throw new MuckError(
      'MW_VALIDATION',
      `Scenario ${name} is invalid`,
      r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const trucks = new Set(r.data.trucks.map((t) => t.id));
  const bad = [...r.data.expect, ...r.data.camera].filter(
    (e) => !trucks.has(e.truck) || e.leg >= (r.data.trucks.find((t) => t.id === e.truck)?.legs.length ?? 0),
  );
  if (bad.length > 0)
    throw new MuckError(
      'MW_VALIDATION',
      `Scenario ${name} expects incidents of unknown trucks or legs`,
      bad.map((e) => `${e.type}: truck ${e.truck}, leg ${String(e.leg)}`),
    );
  return r.data;
}

/** A truck's fixes (vehicle id as given) and when each leg started, from `t0`. */
export function buildTruck(
  truck: RulesScenarioTruck,
  vehicleId: number,
  t0: number,
  intervalS: number,
  placeOf: (code: string) => LonLat,
): { fixes: Fix[]; legStarts: number[] } {
  const at = (p: z.infer<typeof place>): LonLat => (typeof p === 'string' ? placeOf(p) : p);
  const b: TrackBuilder = track(vehicleId, at(truck.at), t0, intervalS);
  const legStarts: number[] = [];
  for (const l of truck.legs) {
    legStarts.push(b.t);
    if ('stay' in l) park(b, l.stay, l.jitterM);
    else if ('drive' in l) for (const p of l.drive) drive(b, at(p), l.kmh);
    else if ('gap' in l) gap(b, l.gap, l.to === undefined ? undefined : at(l.to));
    else if ('jump' in l) {
      const [lon, lat] = at(l.jump);
      b.t += intervalS * 1000;
      b.fixes.push({ vehicleId, t: b.t, lon, lat, speedKmh: 40, headingDeg: null, sensorLoad: b.sensorLoad });
    } else sensor(b, l.sensor);
  }
  return { fixes: b.fixes, legStarts };
}

type Placed = ReadonlyMap<string, { vehicleId: number; legStarts: readonly number[] }>;

/** What a scenario expects, in absolute times, given each truck's vehicle id and leg starts. */
export function expectedOf(
  sc: RulesScenario,
  trucks: Placed,
  cameraIdOf: (code: string) => number = () => -1,
): ExpectedIncident[] {
  return sc.expect.map((e) => {
    const t = trucks.get(e.truck);
    return {
      type: e.type,
      vehicleId: t?.vehicleId ?? -1,
      at: (t?.legStarts[e.leg] ?? 0) + e.plusS * 1000,
      ...(e.camera === undefined ? {} : { cameraId: cameraIdOf(e.camera) }),
      ...(e.zone === undefined ? {} : { zone: e.zone }),
      ...(e.toleranceS === undefined ? {} : { toleranceS: e.toleranceS }),
    };
  });
}

/** The scenario's camera findings at absolute times. */
export function cameraFindingsOf(
  sc: RulesScenario,
  trucks: Placed,
): { camera: string; type: (typeof CAMERA_TYPES)[number]; t: number; confidence: number }[] {
  return sc.camera.map((c) => ({
    camera: c.camera,
    type: c.type,
    t: (trucks.get(c.truck)?.legStarts[c.leg] ?? 0) + c.plusS * 1000,
    confidence: c.confidence,
  }));
}

import { MuckError, ZONE_KINDS, type Config, type ZoneKind } from '../core/index.js';

/** Every threshold the rules use. Each incident's explanation copies the ones it applied. */
export interface RulesParams {
  readonly homeJurisdiction: string;
  readonly stop: { readonly radiusM: number; readonly minS: number };
  readonly stopByKind: Readonly<
    Partial<Record<ZoneKind, { readonly radiusM: number; readonly minS: number }>>
  >;
  readonly unloadMinS: number;
  /** A truck "stands still" while it stays within this radius (GPS noise, manoeuvring). */
  readonly dwellRadiusM: number;
  readonly routeDeviationM: number;
  readonly routeDeviationS: number;
  readonly offHoursMinS: number;
  /** Faster than this (or covering ground this fast) counts as moving. */
  readonly movingKmh: number;
  readonly gpsErrorM: number;
  readonly reorderWindowS: number;
  readonly linkLagS: number;
  /** A camera dumping event and a GPS stop merge when this close in space and time. */
  readonly mergeDistM: number;
  readonly mergeSlackS: number;
  /** How much track each vehicle keeps for linking and explanations. */
  readonly historyS: number;
  readonly minLinkConfidence: number;
}

export const DEFAULT_PARAMS: RulesParams = {
  homeJurisdiction: '',
  stop: { radiusM: 200, minS: 180 },
  stopByKind: {},
  unloadMinS: 240,
  dwellRadiusM: 30,
  routeDeviationM: 100,
  routeDeviationS: 120,
  offHoursMinS: 60,
  movingKmh: 5,
  gpsErrorM: 30,
  reorderWindowS: 30,
  linkLagS: 120,
  mergeDistM: 150,
  mergeSlackS: 300,
  historyS: 1800,
  minLinkConfidence: 0.2,
};

/** `construction_site=150/120,disposal_site=150/120` → per-kind stop thresholds. */
export function parseStopByKind(s: string): RulesParams['stopByKind'] {
  const out: Partial<Record<ZoneKind, { radiusM: number; minS: number }>> = {};
  const problems: string[] = [];
  for (const part of s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-z_]+)=(\d+)\/(\d+)$/.exec(part);
    const kind = m?.[1] as ZoneKind | undefined;
    if (!m || !kind || !ZONE_KINDS.includes(kind)) {
      problems.push(`"${part}": expected KIND=RADIUS_M/MIN_S with KIND one of ${ZONE_KINDS.join(', ')}`);
      continue;
    }
    out[kind] = { radiusM: Number(m[2]), minS: Number(m[3]) };
  }
  if (problems.length > 0) {
    throw new MuckError('MW_RULES_CONFIG_INVALID', 'RULES_STOP_BY_KIND cannot be parsed', problems);
  }
  return out;
}

export function paramsFromConfig(rules: Config['rules']): RulesParams {
  return {
    ...DEFAULT_PARAMS,
    homeJurisdiction: rules.homeJurisdiction,
    stop: { radiusM: rules.stopRadiusM, minS: rules.stopMinS },
    stopByKind: parseStopByKind(rules.stopByKind),
    unloadMinS: rules.unloadMinS,
    routeDeviationM: rules.routeDeviationM,
    routeDeviationS: rules.routeDeviationS,
    offHoursMinS: rules.offHoursMinS,
    gpsErrorM: rules.gpsErrorM,
    reorderWindowS: rules.reorderWindowS,
    linkLagS: rules.linkLagS,
  };
}

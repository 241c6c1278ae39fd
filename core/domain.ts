/** Domain vocabulary shared by every stage (see the glossary): one spelling everywhere. */

export const DETECTION_TYPES = ['dust', 'uncovered_load', 'dumping', 'street_vending'] as const;
export type DetectionType = (typeof DETECTION_TYPES)[number];

export const RULE_TYPES = [
  'cross_border_dumping',
  'unpermitted_stop',
  'route_deviation',
  'off_hours',
] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export const INCIDENT_TYPES = [...DETECTION_TYPES, ...RULE_TYPES] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const INCIDENT_STATUSES = [
  'reported',
  'registered',
  'dispatched',
  'handled',
  'verified',
  'closed',
  'rework',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** The case lifecycle: 上报 → 立案 → 派遣 → 处置 → 核查 → 结案, with 返工 when verification fails. */
export const INCIDENT_TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  reported: ['registered', 'closed'],
  registered: ['dispatched', 'closed'],
  dispatched: ['handled'],
  handled: ['verified', 'rework'],
  rework: ['dispatched'],
  verified: ['closed'],
  closed: [],
};

export function canTransition(from: IncidentStatus, to: IncidentStatus): boolean {
  return INCIDENT_TRANSITIONS[from].includes(to);
}

export const ZONE_KINDS = [
  'jurisdiction',
  'construction_site',
  'disposal_site',
  'approved_route',
  'no_vending',
  'restricted',
] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

export const ROLES = ['operator', 'enforcement', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const LOAD_STATES = ['empty', 'half', 'full'] as const;
export type LoadState = (typeof LOAD_STATES)[number];

export const GPS_SOURCES = ['jt808', 'http', 'replay'] as const;
export type GpsSource = (typeof GPS_SOURCES)[number];

/** Box in source-image pixels: top-left corner, width, height. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

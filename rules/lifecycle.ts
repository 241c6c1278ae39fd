import {
  canTransition,
  INCIDENT_TRANSITIONS,
  MuckError,
  type IncidentStatus,
  type IncidentType,
} from '../core/index.js';

/**
 * The case lifecycle of the digital urban-management standard (上报 → 立案 → 派遣 → 处置 → 核查 →
 * 结案, 返工 when verification fails), with a deadline for every step. Pure: the caller supplies
 * the time and the actor; the adapter writes the result and the transition row.
 */
export interface SlaPolicy {
  readonly registerS: number;
  readonly dispatchS: number;
  readonly handleS: number;
  readonly verifyS: number;
}

/** Defaults; the incident_sla table (seeded with the same numbers) is what a running system uses. */
export const DEFAULT_SLA: Readonly<Record<IncidentType, SlaPolicy>> = {
  dust: { registerS: 1800, dispatchS: 1800, handleS: 7200, verifyS: 86400 },
  uncovered_load: { registerS: 1800, dispatchS: 1800, handleS: 7200, verifyS: 86400 },
  dumping: { registerS: 3600, dispatchS: 3600, handleS: 14400, verifyS: 86400 },
  street_vending: { registerS: 3600, dispatchS: 3600, handleS: 7200, verifyS: 86400 },
  cross_border_dumping: { registerS: 3600, dispatchS: 3600, handleS: 86400, verifyS: 172800 },
  unpermitted_stop: { registerS: 3600, dispatchS: 3600, handleS: 14400, verifyS: 86400 },
  route_deviation: { registerS: 7200, dispatchS: 7200, handleS: 86400, verifyS: 172800 },
  off_hours: { registerS: 7200, dispatchS: 7200, handleS: 86400, verifyS: 172800 },
};

/** Seconds allowed for the step that starts when a case enters `status` (null: nothing is due). */
export function stepAllowanceS(status: IncidentStatus, sla: SlaPolicy): number | null {
  switch (status) {
    case 'reported':
      return sla.registerS;
    case 'registered':
    case 'rework':
      return sla.dispatchS;
    case 'dispatched':
      return sla.handleS;
    case 'handled':
    case 'verified':
      return sla.verifyS;
    case 'closed':
      return null;
  }
}

export function dueAt(status: IncidentStatus, at: number, sla: SlaPolicy): number | null {
  const s = stepAllowanceS(status, sla);
  return s === null ? null : at + s * 1000;
}

/** The timestamp column each status sets (rework counts instead: the case goes back to dispatch). */
export const STATUS_COLUMN: Readonly<Partial<Record<IncidentStatus, string>>> = {
  registered: 'registered_at',
  dispatched: 'dispatched_at',
  handled: 'handled_at',
  verified: 'verified_at',
  closed: 'closed_at',
};

export interface TransitionRequest {
  readonly to: IncidentStatus;
  readonly at: number;
  readonly actor: string;
  readonly actorId: number | null;
  readonly note: string | null;
}

export interface TransitionPlan {
  readonly from: IncidentStatus;
  readonly to: IncidentStatus;
  readonly at: number;
  readonly column: string | null;
  readonly dueAt: number | null;
  readonly reworkCount: number;
  /** Whether the step just finished was finished after its deadline. */
  readonly late: boolean;
}

/** Check and plan one step; MW_INCIDENT_TRANSITION names the steps allowed from here when it is not one. */
export function planTransition(
  current: { status: IncidentStatus; reworkCount: number; slaDueAt: number | null },
  req: TransitionRequest,
  sla: SlaPolicy,
): TransitionPlan {
  if (!canTransition(current.status, req.to)) {
    const allowed = INCIDENT_TRANSITIONS[current.status];
    throw new MuckError(
      'MW_INCIDENT_TRANSITION',
      `An incident that is ${current.status} cannot become ${req.to}; ` +
        (allowed.length > 0 ? `it can become ${allowed.join(' or ')}.` : 'it is closed.'),
    );
  }
  if (req.actor.trim() === '') throw new MuckError('MW_VALIDATION', 'Every transition needs an actor');
  return {
    from: current.status,
    to: req.to,
    at: req.at,
    column: STATUS_COLUMN[req.to] ?? null,
    dueAt: dueAt(req.to, req.at, sla),
    reworkCount: current.reworkCount + (req.to === 'rework' ? 1 : 0),
    late: current.slaDueAt !== null && req.at > current.slaDueAt,
  };
}

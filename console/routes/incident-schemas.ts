import {
  incidentStatusSchema,
  incidentTypeSchema,
  lonLat,
  nullableString,
  pageMeta,
  pageQuery,
} from '../schemas.js';

/** Response and request shapes of the incident routes. */
const nullableInt = { type: ['integer', 'null'] } as const;
const nullableNumber = { type: ['number', 'null'] } as const;
const obj = (properties: Record<string, unknown>) =>
  ({ type: 'object', required: Object.keys(properties), properties }) as const;

export const incidentSummary = obj({
  id: { type: 'integer' },
  type: incidentTypeSchema,
  status: incidentStatusSchema,
  jurisdictionCode: nullableString,
  cameraId: nullableInt,
  location: lonLat,
  startedAt: { type: 'string', format: 'date-time' },
  reportedAt: { type: 'string', format: 'date-time' },
  slaDueAt: nullableString,
  plate: nullableString,
});

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: incidentTypeSchema,
    status: incidentStatusSchema,
    jurisdiction: { type: 'string', minLength: 1, maxLength: 64 },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    ...pageQuery,
  },
} as const;

export const listResponse = obj({
  items: { type: 'array', items: incidentSummary },
  ...pageMeta,
});

export const incidentDetail = obj({
  id: { type: 'integer' },
  type: incidentTypeSchema,
  status: incidentStatusSchema,
  dedupeKey: { type: 'string' },
  jurisdictionCode: nullableString,
  cameraId: nullableInt,
  cameraName: nullableString,
  location: lonLat,
  startedAt: { type: 'string' },
  endedAt: nullableString,
  reportedAt: { type: 'string' },
  slaDueAt: nullableString,
  reworkCount: { type: 'integer' },
  explanation: { type: 'object', additionalProperties: true },
  vehicles: {
    type: 'array',
    items: obj({
      vehicleId: { type: 'integer' },
      plate: { type: 'string' },
      company: nullableString,
      confidence: { type: 'number' },
      reason: { type: 'string' },
      rank: { type: 'integer' },
    }),
  },
  track: {
    type: 'array',
    items: obj({
      vehicleId: { type: 'integer' },
      t: { type: 'string' },
      lon: { type: 'number' },
      lat: { type: 'number' },
      speedKmh: nullableNumber,
      loadState: nullableString,
    }),
  },
  evidence: {
    type: 'array',
    items: obj({
      id: { type: 'integer' },
      kind: { type: 'string', enum: ['clip', 'snapshot', 'track', 'export'] },
      status: { type: 'string' },
      sha256: nullableString,
      sizeBytes: nullableInt,
      durationS: nullableNumber,
      cameraId: nullableInt,
      rangeStart: nullableString,
      rangeEnd: nullableString,
      missingReason: nullableString,
      legalHold: { type: 'boolean' },
      createdAt: { type: 'string' },
      capturedBy: nullableString,
    }),
  },
  transitions: {
    type: 'array',
    items: obj({
      from: { type: ['string', 'null'] },
      to: { type: 'string' },
      at: { type: 'string' },
      actor: { type: 'string' },
      note: nullableString,
      dueAt: nullableString,
    }),
  },
  dispatches: {
    type: 'array',
    items: obj({
      id: { type: 'integer' },
      teamId: { type: 'integer' },
      team: { type: 'string' },
      dispatchedAt: { type: 'string' },
      dueAt: nullableString,
      acceptedAt: nullableString,
      handledAt: nullableString,
      notes: nullableString,
    }),
  },
});

export const transitionResponse = obj({
  id: { type: 'integer' },
  from: incidentStatusSchema,
  status: incidentStatusSchema,
  slaDueAt: nullableString,
  late: { type: 'boolean' },
});

const note = { type: 'string', maxLength: 4000 } as const;
const body = (properties: Record<string, unknown>, required: string[] = []) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;

export const noteBody = body({ note });
export const handleBody = body({ note: { ...note, minLength: 1 } }, ['note']);
export const dispatchBody = body(
  { teamId: { type: 'integer', minimum: 1 }, dueAt: { type: 'string', format: 'date-time' }, note },
  ['teamId'],
);
export const verifyBody = body({ passed: { type: 'boolean' }, note }, ['passed']);

import { INCIDENT_STATUSES, INCIDENT_TYPES, ROLES } from '../core/index.js';

/** JSON schemas shared by routes (the OpenAPI document is generated from them). */
export const errorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    details: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** Every route answers coded errors in the same shape. */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
} as const;

/** Body of an action that takes no input: anything sent is refused rather than ignored. */
export const emptyBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  maxProperties: 0,
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1 } },
  additionalProperties: false,
} as const;

export const pageQuery = {
  page: { type: 'integer', minimum: 1, default: 1 },
  pageSize: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
} as const;

export const pageMeta = {
  page: { type: 'integer' },
  pageSize: { type: 'integer' },
  total: { type: 'integer' },
} as const;

/** What a bulk import (fleet CSV, zone GeoJSON) did or would do, row by row, in total. */
export const importCounts = {
  type: 'object',
  properties: {
    create: { type: 'integer' },
    update: { type: 'integer' },
    unchanged: { type: 'integer' },
    error: { type: 'integer' },
  },
} as const;

export const incidentTypeSchema = { type: 'string', enum: [...INCIDENT_TYPES] } as const;
export const incidentStatusSchema = { type: 'string', enum: [...INCIDENT_STATUSES] } as const;
export const roleSchema = { type: 'string', enum: [...ROLES] } as const;
export const nullableString = { type: ['string', 'null'] } as const;
export const lonLat = {
  type: ['array', 'null'],
  items: { type: 'number' },
  minItems: 2,
  maxItems: 2,
} as const;

export const userSchema = {
  type: 'object',
  required: ['id', 'username', 'displayName', 'role', 'jurisdictionCode', 'teamId'],
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    role: roleSchema,
    jurisdictionCode: nullableString,
    teamId: { type: ['integer', 'null'] },
  },
} as const;

/** Calls to the console API: the session cookie travels by itself; changes carry the CSRF token. */
export interface ApiError {
  code: string;
  message: string;
  details?: string[];
}

let csrf = '';
export const setCsrf = (token: string): void => {
  csrf = token;
};

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
  ) {
    super(`${body.code}: ${body.message}`);
  }
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(method !== 'GET' ? { 'content-type': 'application/json' } : {}),
      ...(method !== 'GET' ? { 'x-csrf-token': csrf } : {}),
    },
    body: body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : {};
  if (!res.ok) throw new ApiFailure(res.status, json as ApiError);
  return json as T;
}

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: 'operator' | 'enforcement' | 'auditor' | 'admin';
  jurisdictionCode: string | null;
  teamId: number | null;
}

export interface IncidentSummary {
  id: number;
  type: string;
  status: string;
  jurisdictionCode: string | null;
  cameraId: number | null;
  location: [number, number] | null;
  startedAt: string;
  reportedAt: string;
  slaDueAt: string | null;
  plate: string | null;
}

export interface Evidence {
  id: number;
  kind: 'clip' | 'snapshot' | 'track' | 'export';
  status: string;
  sha256: string | null;
  sizeBytes: number | null;
  missingReason: string | null;
  rangeStart: string | null;
  legalHold: boolean;
  cameraId: number | null;
  capturedBy: string | null;
  createdAt: string;
}

export interface IncidentDetail extends IncidentSummary {
  cameraName: string | null;
  endedAt: string | null;
  reworkCount: number;
  explanation: Record<string, unknown>;
  vehicles: {
    vehicleId: number;
    plate: string;
    company: string | null;
    confidence: number;
    reason: string;
    rank: number;
  }[];
  track: { vehicleId: number; t: string; lon: number; lat: number; speedKmh: number | null }[];
  evidence: Evidence[];
  transitions: {
    from: string | null;
    to: string;
    at: string;
    actor: string;
    note: string | null;
    dueAt: string | null;
  }[];
  dispatches: {
    id: number;
    team: string;
    dispatchedAt: string;
    dueAt: string | null;
    acceptedAt: string | null;
    handledAt: string | null;
    notes: string | null;
  }[];
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

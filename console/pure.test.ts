import { describe, expect, it } from 'vitest';
import { MuckError } from '../core/index.js';
import { allows, parseCookies } from './auth/guard.js';
import { hashPassword, verifyPassword } from './auth/password.js';
import type { SessionUser } from './auth/sessions.js';
import { parseRange } from './range.js';
import { wants } from './routes/stream.js';

describe('byte ranges', () => {
  it('reads open, closed and suffix ranges and clamps the end', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=990-5000', 1000)).toEqual({ start: 990, end: 999 });
    expect(parseRange(undefined, 1000)).toBeNull();
    expect(parseRange('bytes=0-1,5-6', 1000)).toBeNull(); // multi-range: whole file
  });
  it('refuses a range outside the file with a coded error', () => {
    expect(() => parseRange('bytes=1000-', 1000)).toThrow(MuckError);
    expect(() => parseRange('bytes=50-10', 1000)).toThrow(/outside the file/);
  });
});

describe('passwords', () => {
  it('verifies the right password only, with a salted hash', async () => {
    const a = await hashPassword('s3cret-enough');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await hashPassword('s3cret-enough')).not.toBe(a);
    expect(await verifyPassword('s3cret-enough', a)).toBe(true);
    expect(await verifyPassword('s3cret-enougH', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('access rules and cookies', () => {
  it('applies public, authenticated and role lists', () => {
    expect(allows('public', null)).toBe(true);
    expect(allows('authenticated', null)).toBe(false);
    expect(allows('authenticated', 'auditor')).toBe(true);
    expect(allows(['admin'], 'operator')).toBe(false);
    expect(allows(['operator', 'admin'], 'operator')).toBe(true);
  });
  it('parses a cookie header', () => {
    expect(parseCookies('a=1; mw_session=abc%3D; b').get('mw_session')).toBe('abc=');
  });
});

describe('live stream filter', () => {
  const user = (over: Partial<SessionUser>): SessionUser => ({
    id: 1,
    username: 'u',
    displayName: 'u',
    role: 'operator',
    jurisdictionCode: null,
    teamId: null,
    ...over,
  });
  const alert = { kind: 'alert' as const, incidentId: 1, jurisdictionCode: 'D1' };
  const change = {
    kind: 'incident' as const,
    incidentId: 1,
    status: 'dispatched',
    jurisdictionCode: 'D1',
    teamId: 7,
  };
  it('gives city-level users every district and district users their own', () => {
    expect(wants(user({}), alert)).toBe(true);
    expect(wants(user({ jurisdictionCode: 'D1' }), alert)).toBe(true);
    expect(wants(user({ jurisdictionCode: 'D2' }), alert)).toBe(false);
  });
  it("gives enforcement officers only their own team's case changes", () => {
    expect(wants(user({ role: 'enforcement', teamId: 7 }), change)).toBe(true);
    expect(wants(user({ role: 'enforcement', teamId: 8 }), change)).toBe(false);
    expect(wants(user({ role: 'enforcement', teamId: 7 }), alert)).toBe(false);
    expect(wants(user({ role: 'enforcement', teamId: null }), { ...change, teamId: undefined })).toBe(false);
  });
  it('gives GPS terminal changes to every district (trucks cross them) but not to enforcement', () => {
    const terminal = {
      kind: 'terminal' as const,
      terminalId: '13912345678',
      vehicleId: 3,
      online: true,
      since: '2026-11-27T08:00:00.000Z',
    };
    expect(wants(user({ jurisdictionCode: 'D2' }), terminal)).toBe(true);
    expect(wants(user({ role: 'auditor' }), terminal)).toBe(true);
    expect(wants(user({ role: 'enforcement', teamId: 7 }), terminal)).toBe(false);
  });
});

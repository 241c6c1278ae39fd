import { describe, expect, it } from 'vitest';
import { deviceRefusal } from './device-scope.js';
import { describeScope, parseScopeArgs } from './platform-scope.js';

describe('parseScopeArgs (platforms-cli.ts scope NAME …)', () => {
  it('reads repeated --company, --company=NAME and --all; nothing means "show"', () => {
    expect(parseScopeArgs(['--company', 'Green Haulage', '--company=Other Transport'])).toEqual({
      companies: ['Green Haulage', 'Other Transport'],
    });
    expect(parseScopeArgs(['--company', '12'])).toEqual({ companies: ['12'] });
    expect(parseScopeArgs(['--all'])).toEqual({ allDevices: true });
    expect(parseScopeArgs([])).toBeNull();
  });

  it('refuses a mix, a missing name and an unknown option with MW_VALIDATION', () => {
    for (const args of [
      ['--all', '--company', 'A'],
      ['--company'],
      ['--company', '--all'],
      ['--company='],
      ['--every'],
    ]) {
      expect(() => parseScopeArgs(args)).toThrow(expect.objectContaining({ code: 'MW_VALIDATION' }));
    }
    expect(() => parseScopeArgs(['--companies', 'A'])).toThrow(/--company NAME/);
  });
});

describe('deviceRefusal', () => {
  const scoped = { allDevices: false, companyIds: new Set([1]) };
  const own = { vehicleId: 10, companyId: 1, companyName: 'Green Haulage', active: true };
  const other = { vehicleId: 11, companyId: 2, companyName: 'Other Transport', active: true };

  it('lets an all-devices platform report anything, registered or not', () => {
    const all = { allDevices: true, companyIds: new Set<number>() };
    expect(deviceRefusal('p', all, 'x', null)).toBeNull();
    expect(deviceRefusal('p', all, 'x', other)).toBeNull();
  });

  it('lets a scoped platform report only registered vehicles of its companies, naming device and platform otherwise', () => {
    expect(deviceRefusal('green-fleet', scoped, '粤B1', own)).toBeNull();
    expect(deviceRefusal('green-fleet', scoped, '粤B2', other)).toMatch(
      /^Platform "green-fleet" may not report device "粤B2": .*"Other Transport"/,
    );
    expect(deviceRefusal('green-fleet', scoped, 'dev-9', null)).toMatch(
      /"green-fleet".*"dev-9".*fleet registry/,
    );
    expect(
      deviceRefusal('green-fleet', scoped, '粤B3', {
        vehicleId: 12,
        companyId: null,
        companyName: null,
        active: true,
      }),
    ).toMatch(/no transport company/);
    expect(deviceRefusal('green-fleet', scoped, '粤B1', { ...own, active: false })).toMatch(
      /^Platform "green-fleet" may not report device "粤B1": its vehicle is marked inactive/,
    );
    expect(deviceRefusal('p', { allDevices: false, companyIds: new Set() }, '粤B1', own)).not.toBeNull();
  });
});

describe('describeScope', () => {
  it('says what a platform may report in one line', () => {
    expect(describeScope({ allDevices: true, companies: [] })).toBe('all devices');
    expect(describeScope({ allDevices: false, companies: [] })).toBe('no company (reports nothing)');
    expect(
      describeScope({
        allDevices: false,
        companies: [
          { id: 1, name: 'A' },
          { id: 2, name: 'B' },
        ],
      }),
    ).toBe('companies: A, B');
  });
});

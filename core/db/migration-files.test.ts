import { describe, expect, it } from 'vitest';
import { EditedMigrationError, parseMigrations, pendingMigrations } from './migration-files.js';
import { loadMigrations } from './migrate.js';

const f = (filename: string, sql = 'SELECT 1;') => ({ filename, sql });

describe('parseMigrations', () => {
  it('orders by number and checksums the SQL', () => {
    const m = parseMigrations([f('0002_b.sql', 'B'), f('0001_a.sql', 'A')]);
    expect(m.map((x) => x.name)).toEqual(['a', 'b']);
    expect(m[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(m[0]?.checksum).not.toBe(m[1]?.checksum);
  });

  it('rejects gaps, duplicates and bad names', () => {
    expect(() => parseMigrations([f('0001_a.sql'), f('0003_c.sql')])).toThrow(/without gaps/);
    expect(() => parseMigrations([f('0001_a.sql'), f('0001_b.sql')])).toThrow(/without gaps/);
    expect(() => parseMigrations([f('1_a.sql')])).toThrow(/NNNN_snake_case/);
  });

  it('the shipped migrations parse', () => {
    expect(loadMigrations().length).toBeGreaterThanOrEqual(1);
  });
});

describe('pendingMigrations', () => {
  const all = parseMigrations([f('0001_a.sql', 'A'), f('0002_b.sql', 'B')]);

  it('returns what is not applied yet', () => {
    expect(
      pendingMigrations(all, [{ version: 1, checksum: all[0]?.checksum ?? '' }]).map((m) => m.version),
    ).toEqual([2]);
    expect(pendingMigrations(all, [])).toHaveLength(2);
  });

  it('refuses when an applied migration was edited', () => {
    expect(() => pendingMigrations(all, [{ version: 1, checksum: 'x'.repeat(64) }])).toThrow(
      EditedMigrationError,
    );
  });
});

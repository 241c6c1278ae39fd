import { createHash } from 'node:crypto';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/**
 * Turn migration files into an ordered list. Pure: rejects badly named files, duplicate
 * versions and gaps, so a mistake is caught before anything touches a database.
 */
export function parseMigrations(files: ReadonlyArray<{ filename: string; sql: string }>): Migration[] {
  const migrations = files.map(({ filename, sql }) => {
    const m = FILE_RE.exec(filename);
    if (!m) throw new Error(`Migration file ${filename} must be named NNNN_snake_case.sql`);
    return {
      version: Number(m[1]),
      name: m[2] as string,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    };
  });
  migrations.sort((a, b) => a.version - b.version);
  migrations.forEach((mig, i) => {
    if (mig.version !== i + 1) {
      throw new Error(
        `Migrations must be numbered 0001, 0002… without gaps; found ${mig.version} at position ${i + 1}`,
      );
    }
  });
  return migrations;
}

export interface AppliedMigration {
  readonly version: number;
  readonly checksum: string;
}

/** Which migrations still need applying; throws when an applied one was edited afterwards. */
export function pendingMigrations(
  all: readonly Migration[],
  applied: readonly AppliedMigration[],
): Migration[] {
  const byVersion = new Map(applied.map((a) => [a.version, a.checksum]));
  for (const mig of all) {
    const sum = byVersion.get(mig.version);
    if (sum !== undefined && sum !== mig.checksum) {
      throw new EditedMigrationError(mig);
    }
  }
  return all.filter((m) => !byVersion.has(m.version));
}

export class EditedMigrationError extends Error {
  constructor(readonly migration: Migration) {
    super(
      `Migration ${String(migration.version).padStart(4, '0')}_${migration.name} was changed after it was applied. ` +
        'Migrations are forward-only: revert the edit and add a new numbered migration instead.',
    );
  }
}

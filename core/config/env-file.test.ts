import { describe, expect, it } from 'vitest';
import { parseEnvFile } from './env-file.js';

describe('parseEnvFile', () => {
  it('reads KEY=VALUE lines, skipping comments and stripping quotes', () => {
    const text =
      '# header\nDATABASE_URL=postgres://a@b:1/c\n\nREDIS_URL="redis://x:2"\n  # DATABASE_URL=ignored\nbad line\n';
    expect(parseEnvFile(text)).toEqual({ DATABASE_URL: 'postgres://a@b:1/c', REDIS_URL: 'redis://x:2' });
  });
});

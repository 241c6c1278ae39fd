import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateOpenApi, OPENAPI_PATH } from './openapi.js';

describe('OpenAPI document', () => {
  it('is checked in and matches the route schemas (run npm run console:openapi after changing a route)', async () => {
    const committed = await readFile(OPENAPI_PATH, 'utf8');
    expect(await generateOpenApi()).toBe(committed);
  });

  it('documents every API route with a response schema', async () => {
    const doc = JSON.parse(await generateOpenApi()) as {
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    };
    const ops = Object.entries(doc.paths).flatMap(([p, ms]) =>
      Object.entries(ms).map(([m, op]) => ({ p, m, op })),
    );
    expect(ops.length).toBeGreaterThan(20);
    for (const { p, m, op } of ops) expect(op.responses?.['200'], `${m} ${p}`).toBeDefined();
  });
});

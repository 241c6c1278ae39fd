import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildPackage, verifyPackage } from './package.js';

const { privateKey } = generateKeyPairSync('ed25519');
const pub = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
const files = [
  { name: 'clip.mp4', bytes: new Uint8Array([0, 0, 0, 24, 102, 116, 121, 112, 1, 2, 3]) },
  { name: 'incident.json', bytes: strToU8('{"id":7,"type":"cross_border_dumping"}') },
];
const pkg = buildPackage(files, { incidentId: 7, createdAt: '2026-11-27T08:00:00.000Z' }, privateKey);

function rezip(mutate: (e: Record<string, Uint8Array>) => void): Uint8Array {
  const e = unzipSync(pkg);
  mutate(e);
  return zipSync(e);
}

describe('evidence export package', () => {
  it('verifies, with and without a pinned key, and is deterministic', () => {
    expect(verifyPackage(pkg)).toMatchObject({ ok: true, problems: [] });
    expect(verifyPackage(pkg, pub).ok).toBe(true);
    expect(buildPackage(files, { incidentId: 7, createdAt: '2026-11-27T08:00:00.000Z' }, privateKey)).toEqual(
      pkg,
    );
  });

  it('names a file whose bytes changed (one flipped byte)', () => {
    const bad = rezip((e) => {
      const clip = e['clip.mp4'] as Uint8Array;
      clip[5] = (clip[5] ?? 0) ^ 1;
    });
    expect(verifyPackage(bad).problems).toEqual(['clip.mp4: changed (SHA-256 differs from the manifest)']);
  });

  it('names a missing and an extra file', () => {
    const bad = rezip((e) => {
      delete e['incident.json'];
      e['extra.txt'] = strToU8('hi');
    });
    expect(verifyPackage(bad).problems).toEqual([
      'incident.json: missing',
      'extra.txt: not listed in the manifest',
    ]);
  });

  it('detects an edited manifest and a foreign signer', () => {
    const bad = rezip((e) => {
      e['manifest.json'] = strToU8(
        strFromU8(e['manifest.json'] as Uint8Array).replace('"incidentId": 7', '"incidentId": 8'),
      );
    });
    expect(verifyPackage(bad).problems.join()).toMatch(/manifest.sig: signature does not match/);
    const other = generateKeyPairSync('ed25519').privateKey;
    const foreign = buildPackage(files, { incidentId: 7, createdAt: 'x' }, other);
    expect(verifyPackage(foreign).ok).toBe(true); // self-consistent…
    expect(verifyPackage(foreign, pub).problems.join()).toMatch(/other than the trusted one/); // …but not ours
  });

  it('says when the input is not a ZIP', () => {
    expect(verifyPackage(new Uint8Array([1, 2, 3])).problems[0]).toMatch(/not a readable ZIP/);
  });
});

/**
 * Evidence export packages: a ZIP of files plus `manifest.json` (SHA-256 of every file) and
 * `manifest.sig` (Ed25519 over the manifest bytes). Verification needs nothing but the ZIP and,
 * to pin who signed it, the deployment's public key.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

export const PACKAGE_FORMAT = 'muckwatch-evidence/1';

export interface PackageFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface Manifest {
  readonly format: typeof PACKAGE_FORMAT;
  readonly incidentId: number;
  readonly createdAt: string;
  readonly publicKey: string;
  readonly files: readonly { readonly name: string; readonly sha256: string; readonly size: number }[];
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export function buildPackage(
  files: readonly PackageFile[],
  meta: { incidentId: number; createdAt: string },
  privateKey: KeyObject,
): Uint8Array {
  const manifest: Manifest = {
    format: PACKAGE_FORMAT,
    incidentId: meta.incidentId,
    createdAt: meta.createdAt,
    publicKey: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
    files: files.map((f) => ({ name: f.name, sha256: sha(f.bytes), size: f.bytes.length })),
  };
  const manifestBytes = strToU8(JSON.stringify(manifest, null, 2));
  const signature = sign(null, manifestBytes, privateKey).toString('base64');
  const entries: Record<string, Uint8Array> = {};
  for (const f of files) entries[f.name] = f.bytes;
  entries['manifest.json'] = manifestBytes;
  entries['manifest.sig'] = strToU8(signature);
  // Fixed mtime: the same evidence always packs to the same bytes.
  return zipSync(entries, { level: 0, mtime: new Date('2020-01-01T00:00:00Z') });
}

export interface PackageVerdict {
  readonly ok: boolean;
  readonly manifest: Manifest | null;
  /** Every problem, each naming the file it concerns. */
  readonly problems: readonly string[];
}

export function verifyPackage(zip: Uint8Array, trustedPublicKeyPem?: string): PackageVerdict {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch (err) {
    return { ok: false, manifest: null, problems: [`not a readable ZIP: ${(err as Error).message}`] };
  }
  const manifestBytes = entries['manifest.json'];
  const sig = entries['manifest.sig'];
  if (!manifestBytes) return { ok: false, manifest: null, problems: ['manifest.json is missing'] };
  let manifest: Manifest;
  try {
    // Parsed as untrusted: its format field is checked below.
    manifest = JSON.parse(strFromU8(manifestBytes)) as Manifest;
  } catch {
    return { ok: false, manifest: null, problems: ['manifest.json is not valid JSON'] };
  }
  const problems: string[] = [];
  if ((manifest.format as string) !== PACKAGE_FORMAT)
    problems.push(`manifest.json: unknown format ${manifest.format as string}`);
  const keyPem = trustedPublicKeyPem ?? manifest.publicKey;
  if (trustedPublicKeyPem && normalisePem(trustedPublicKeyPem) !== normalisePem(manifest.publicKey)) {
    problems.push('manifest.json: signed by a key other than the trusted one');
  }
  if (!sig) problems.push('manifest.sig is missing');
  else {
    let valid: boolean;
    try {
      valid = verify(null, manifestBytes, createPublicKey(keyPem), Buffer.from(strFromU8(sig), 'base64'));
    } catch {
      valid = false; // an unreadable key or signature is a failed verification
    }
    if (!valid)
      problems.push('manifest.sig: signature does not match manifest.json (manifest changed or wrong key)');
  }
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.name);
    const bytes = entries[f.name];
    if (!bytes) problems.push(`${f.name}: missing`);
    else if (sha(bytes) !== f.sha256) problems.push(`${f.name}: changed (SHA-256 differs from the manifest)`);
  }
  for (const name of Object.keys(entries)) {
    if (!listed.has(name) && name !== 'manifest.json' && name !== 'manifest.sig') {
      problems.push(`${name}: not listed in the manifest`);
    }
  }
  return { ok: problems.length === 0, manifest, problems };
}

const normalisePem = (pem: string): string => pem.replace(/\s+/g, '');

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MuckError } from './errors.js';

/**
 * Secrets at rest (camera user names and passwords): AES-256-GCM with a 32-byte key from the
 * `secrets.key` setting, or from DATA_DIR/keys/secrets.key, created on first use. Every process
 * that decrypts (console, pipeline nodes) must see the same key.
 */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key written as 64 hex digits or as base64 of 32 bytes. */
export function parseSecretKey(text: string): Buffer {
  const s = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(s) ? Buffer.from(s, 'hex') : Buffer.from(s, 'base64');
  if (key.length !== 32)
    throw new MuckError(
      'MW_CONFIG_INVALID',
      'The secrets key must be 32 bytes, written as 64 hex digits or base64 (e.g. `openssl rand -base64 32`).',
    );
  return key;
}

/** The configured key, or the data folder's key file (made on first use, readable by its owner only). */
export function loadOrCreateSecretKey(configured: string, dataDir: string): Buffer {
  if (configured !== '') return parseSecretKey(configured);
  const path = join(dataDir, 'keys', 'secrets.key');
  if (existsSync(path)) return parseSecretKey(readFileSync(path, 'utf8'));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  chmodSync(path, 0o600);
  return parseSecretKey(readFileSync(path, 'utf8'));
}

/** version byte · IV · tag · ciphertext, so a key or format change can be recognised later. */
export function encryptSecret(key: Buffer, plaintext: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

export function decryptSecret(key: Buffer, blob: Buffer): string {
  if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== VERSION)
    throw new MuckError('MW_SECRET_UNREADABLE', 'A stored secret has an unknown format; enter it again.');
  const iv = blob.subarray(1, 1 + IV_BYTES);
  const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([
      decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch (err) {
    throw new MuckError(
      'MW_SECRET_UNREADABLE',
      'A stored secret cannot be decrypted with this secrets key (was the key changed?); enter it again or restore the key.',
      [],
      { cause: err },
    );
  }
}

export interface CameraCredentials {
  readonly user: string;
  readonly pass: string;
}

export const encryptCredentials = (key: Buffer, c: CameraCredentials): Buffer =>
  encryptSecret(key, JSON.stringify({ user: c.user, pass: c.pass }));

export function decryptCredentials(key: Buffer, blob: Buffer): CameraCredentials {
  const o = JSON.parse(decryptSecret(key, blob)) as { user?: unknown; pass?: unknown };
  return { user: typeof o.user === 'string' ? o.user : '', pass: typeof o.pass === 'string' ? o.pass : '' };
}

/** The RTSP URL with the credentials in it (what ffmpeg is given; never stored or logged). */
export function urlWithCredentials(url: string, c: CameraCredentials | null): string {
  if (!c) return url;
  const u = new URL(url);
  u.username = encodeURIComponent(c.user);
  u.password = encodeURIComponent(c.pass);
  return u.toString();
}

/** Take user:password out of any text that may repeat a URL (ffmpeg's stderr). */
export const redactCredentials = (text: string): string => text.replace(/(\w+:\/\/)[^/@\s]*@/g, '$1***@');

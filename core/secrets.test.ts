import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decryptCredentials,
  decryptSecret,
  encryptCredentials,
  encryptSecret,
  loadOrCreateSecretKey,
  parseSecretKey,
  redactCredentials,
  urlWithCredentials,
} from './secrets.js';

const KEY = Buffer.alloc(32, 7);

describe('secrets at rest', () => {
  it('round-trips, and never stores the plain text', () => {
    const blob = encryptCredentials(KEY, { user: 'admin', pass: 'p@ss:wörd' });
    expect(blob.toString('latin1')).not.toContain('admin');
    expect(decryptCredentials(KEY, blob)).toEqual({ user: 'admin', pass: 'p@ss:wörd' });
    // A fresh IV each time: the same secret never encrypts to the same bytes.
    expect(encryptSecret(KEY, 'x').equals(encryptSecret(KEY, 'x'))).toBe(false);
  });

  it('refuses a tampered blob, a wrong key and an unknown format with a coded error', () => {
    const blob = encryptSecret(KEY, 'secret');
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(() => decryptSecret(KEY, tampered)).toThrow(/cannot be decrypted/);
    expect(() => decryptSecret(Buffer.alloc(32, 8), blob)).toThrow(/was the key changed/);
    expect(() => decryptSecret(KEY, Buffer.from([9, 1, 2]))).toThrow(/unknown format/);
  });

  it('reads keys as hex or base64 of exactly 32 bytes', () => {
    expect(parseSecretKey('07'.repeat(32)).equals(KEY)).toBe(true);
    expect(parseSecretKey(KEY.toString('base64')).equals(KEY)).toBe(true);
    expect(() => parseSecretKey('too-short')).toThrow(/32 bytes/);
  });

  it('creates the key file once, owner-readable only, and reads the same key back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-secrets-'));
    try {
      const a = loadOrCreateSecretKey('', dir);
      const b = loadOrCreateSecretKey('', dir);
      expect(a.equals(b)).toBe(true);
      const file = join(dir, 'keys', 'secrets.key');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(parseSecretKey(readFileSync(file, 'utf8')).equals(a)).toBe(true);
      expect(loadOrCreateSecretKey(KEY.toString('hex'), dir).equals(KEY)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('puts credentials into an RTSP URL and takes them out of messages', () => {
    const url = urlWithCredentials('rtsp://10.0.0.5:554/main', { user: 'ad min', pass: 'a@b' });
    expect(url).toBe('rtsp://ad%20min:a%40b@10.0.0.5:554/main');
    expect(urlWithCredentials('rtsp://h/x', null)).toBe('rtsp://h/x');
    expect(redactCredentials(`[rtsp @ 0x1] method DESCRIBE failed: ${url} 401`)).toBe(
      '[rtsp @ 0x1] method DESCRIBE failed: rtsp://***@10.0.0.5:554/main 401',
    );
  });
});

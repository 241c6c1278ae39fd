import type { KeyObject } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { EvidenceStore, Pool } from '../core/index.js';
import type { LoginLimiter, SessionStore } from './auth/sessions.js';
import type { LiveHub } from './live.js';
import type { LiveVideoHub } from './live-video/hub.js';

/** What every route module gets: the services, built once in buildApp. */
export interface RouteContext {
  readonly pool: Pool;
  readonly redis: Redis;
  readonly prefix: string;
  readonly sessions: SessionStore;
  readonly limiter: LoginLimiter;
  readonly store: EvidenceStore;
  /** Loaded on first export, so a console that never exports needs no key file. */
  readonly signingKey: () => KeyObject;
  readonly exportDir: string;
  readonly secureCookie: boolean;
  readonly sessionTtlS: number;
  readonly cameraStaleMs: number;
  readonly live: LiveHub;
  /** Decrypts and encrypts camera credentials (loaded on first use). */
  readonly secretKey: () => Buffer;
  /** ffmpeg for camera snapshots; ffprobe beside it for connection tests. */
  readonly ffmpeg: string;
  /** How long a connection test or snapshot waits for a camera. */
  readonly cameraTimeoutS: number;
  readonly dataDir: string;
  /** Camera live views: one ffmpeg per camera shared by its viewers. */
  readonly video: LiveVideoHub;
}

/**
 * Pure: turn ffmpeg's (or ffprobe's) stderr into a cause a person can act on. In core because the
 * pipeline's supervisor and the console's "test connection" must name failures the same way.
 */

import type { CameraFailureKind } from './camera-health.js';
import { redactCredentials } from './secrets.js';

export type FailureKind = CameraFailureKind;

export interface Failure {
  readonly kind: FailureKind;
  /** Transient failures are retried with the normal backoff; the rest need a person. */
  readonly transient: boolean;
  readonly message: string;
}

const RULES: readonly [RegExp, FailureKind, boolean, string][] = [
  [/401 Unauthorized|403 Forbidden/i, 'auth_refused', false, 'the camera refused the user name or password'],
  [/404 Not Found|Server returned 4\d\d/i, 'not_found', false, 'the camera has no stream at this path'],
  [
    /No route to host|Network is unreachable|Name or service not known|Temporary failure in name resolution/i,
    'host_unreachable',
    true,
    'the camera host cannot be reached',
  ],
  [/Connection refused/i, 'connection_refused', true, 'nothing is listening at the camera address'],
  [/timed out|Connection timed out/i, 'timeout', true, 'the camera did not answer in time'],
  [
    /Decoder .* not found|Unsupported codec|codec not currently supported|Could not find codec parameters/i,
    'codec_unsupported',
    false,
    'the stream uses a codec MuckWatch cannot decode',
  ],
  [
    /Invalid data found when processing input|Protocol not found|No such file or directory|Invalid argument/i,
    'bad_url',
    false,
    'the camera URL is not valid',
  ],
];

export function classifyFailure(rawStderr: string, exitCode: number | null): Failure {
  // ffmpeg repeats the input URL in some messages: a camera password must not reach health or logs.
  const stderr = redactCredentials(rawStderr);
  for (const [re, kind, transient, text] of RULES) {
    const line = stderr.split('\n').find((l) => re.test(l));
    if (line) return { kind, transient, message: `${text} (${line.trim().slice(0, 200)})` };
  }
  if (exitCode === 0) return { kind: 'stream_ended', transient: true, message: 'the stream ended' };
  const last = stderr.trim().split('\n').pop()?.trim() ?? '';
  return {
    kind: 'unknown',
    transient: true,
    message: `ffmpeg exited with ${String(exitCode)}${last ? `: ${last.slice(0, 200)}` : ''}`,
  };
}

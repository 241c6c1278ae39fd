/** Pure: capped exponential backoff with full jitter ("decorrelated" enough for a camera fleet). */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

/** attempt 0 → ~base; doubles each attempt up to cap; `random` in [0,1) spreads restarts. */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  // Half fixed, half jitter: never hammer, never sleep near zero.
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

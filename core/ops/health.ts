/** A named readiness check: resolves when healthy, throws with the reason when not. */
export type HealthCheck = () => Promise<unknown>;

export interface CheckResult {
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

export interface HealthReport {
  readonly status: 'ok' | 'failing';
  readonly process: string;
  readonly node: string;
  readonly uptimeS: number;
  readonly checks: Record<string, CheckResult>;
}

/** The checks a process's health endpoint runs: its database, its Redis, and whatever it adds. */
export class Health {
  private readonly checks = new Map<string, HealthCheck>();
  private readonly startedAt = Date.now();

  constructor(
    readonly process: string,
    readonly node: string,
    private readonly timeoutMs = 2000,
  ) {}

  add(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  async report(): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await this.run(check)] as const),
    );
    return {
      status: entries.every(([, r]) => r.ok) ? 'ok' : 'failing',
      process: this.process,
      node: this.node,
      uptimeS: Math.round((Date.now() - this.startedAt) / 1000),
      checks: Object.fromEntries(entries),
    };
  }

  private async run(check: HealthCheck): Promise<CheckResult> {
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    try {
      await Promise.race([check(), timeout]);
      return { ok: true, ms: Math.round(performance.now() - t0) };
    } catch (err) {
      return { ok: false, ms: Math.round(performance.now() - t0), error: (err as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
}

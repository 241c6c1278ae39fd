import type { Redis } from 'ioredis';
import { readCameraHealth, terminalPresenceChannel, type TerminalPresence } from '../core/index.js';
import { alertsChannel } from '../rules/index.js';

/** What the live stream carries to browsers. */
export type LiveEvent =
  | { kind: 'alert'; incidentId: number; jurisdictionCode: string | null; [k: string]: unknown }
  | { kind: 'incident'; incidentId: number; status: string; jurisdictionCode: string | null; teamId?: number }
  | { kind: 'camera'; cameraId: number; state: string; stale: boolean; node: string }
  | { kind: 'terminal'; terminalId: string; vehicleId: number | null; online: boolean; since: string };

type Listener = (e: LiveEvent) => void;

/** Incident changes made by any console instance, so every instance's browsers hear of them. */
export const consoleEventsChannel = (prefix: string): string => `${prefix}:console:events`;

/**
 * One Redis subscription per console process fanned out to every open stream: rules alerts,
 * console incident changes, GPS terminals going online/offline (the gateway announces them),
 * and camera health changes (polled while someone is listening, since pipeline nodes write
 * health to a hash rather than publishing it).
 */
export class LiveHub {
  private readonly listeners = new Set<Listener>();
  private sub: Redis | null = null;
  private poller: NodeJS.Timeout | null = null;
  private lastHealth = new Map<number, string>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly cameraStaleMs: number,
    private readonly pollMs = 3000,
  ) {}

  async subscribe(fn: Listener): Promise<() => void> {
    this.listeners.add(fn);
    if (!this.sub) await this.start();
    return () => {
      this.listeners.delete(fn);
    };
  }

  async publish(e: LiveEvent): Promise<void> {
    await this.redis.publish(consoleEventsChannel(this.prefix), JSON.stringify(e));
  }

  private emit(e: LiveEvent): void {
    for (const l of this.listeners) l(e);
  }

  private async start(): Promise<void> {
    const sub = this.redis.duplicate();
    this.sub = sub;
    sub.on('error', () => {
      /* reconnects by itself; streams just see no events meanwhile */
    });
    sub.on('message', (channel: string, message: string) => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(message) as Record<string, unknown>;
      } catch {
        return; // not ours to fix; a bad message must not end every stream
      }
      if (channel === alertsChannel(this.prefix)) {
        this.emit({
          ...body,
          kind: 'alert',
          incidentId: Number(body.incidentId),
          jurisdictionCode: (body.jurisdictionCode as string | null | undefined) ?? null,
        });
      } else if (channel === terminalPresenceChannel(this.prefix)) {
        const p = body as unknown as TerminalPresence;
        this.emit({
          kind: 'terminal',
          terminalId: p.terminalId,
          vehicleId: p.vehicleId,
          online: p.online,
          since: new Date(p.since).toISOString(),
        });
      } else this.emit(body as LiveEvent);
    });
    await sub.subscribe(
      alertsChannel(this.prefix),
      consoleEventsChannel(this.prefix),
      terminalPresenceChannel(this.prefix),
    );
    this.poller = setInterval(() => {
      if (this.listeners.size > 0) void this.pollHealth().catch(() => undefined);
    }, this.pollMs);
    this.poller.unref();
  }

  private async pollHealth(): Promise<void> {
    const health = await readCameraHealth(this.redis, this.prefix, this.cameraStaleMs);
    for (const [id, h] of health) {
      const sig = `${h.state}|${String(h.stale)}|${h.node}`;
      if (this.lastHealth.get(id) === sig) continue;
      this.lastHealth.set(id, sig);
      this.emit({ kind: 'camera', cameraId: id, state: h.state, stale: h.stale, node: h.node });
    }
  }

  async close(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    this.listeners.clear();
    const sub = this.sub;
    this.sub = null;
    if (sub)
      await sub.quit().catch(() => {
        sub.disconnect();
      });
  }
}

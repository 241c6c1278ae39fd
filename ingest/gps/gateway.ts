import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger, TerminalPresencePublisher } from '../../core/index.js';
import type { Intake } from './intake.js';
import { FrameSplitter } from './jt808/index.js';
import type { TerminalRegistry } from './registry.js';
import { Jt808Session, emptyStats, type SessionStats } from './session.js';

export interface GatewayOptions {
  readonly host: string;
  readonly port: number;
  readonly heartbeatTimeoutMs: number;
  readonly subpackageTimeoutMs: number;
  readonly registry: TerminalRegistry;
  readonly intake: Intake;
  readonly log?: Logger;
  readonly now?: () => number;
  /** Announces terminals going online (authenticated) and offline (link closed). */
  readonly presence?: Pick<TerminalPresencePublisher, 'online' | 'offline'>;
}

export interface GatewayStats extends SessionStats {
  connections: number;
  open: number;
  idleClosed: number;
  discardedBytes: number;
}

/**
 * The JT/T 808 TCP server: one session per link; frames of a link are handled one after
 * another (so a register or auth answer comes before what follows it), while acknowledgements
 * of stored points go out as soon as their points are durable. An idle link (no byte for the
 * heartbeat timeout) is closed.
 */
export class Jt808Gateway {
  private readonly server: Server;
  private readonly sockets = new Map<Socket, Jt808Session>();
  private readonly ticker: NodeJS.Timeout;
  readonly stats: GatewayStats = {
    ...emptyStats(),
    connections: 0,
    open: 0,
    idleClosed: 0,
    discardedBytes: 0,
  };

  constructor(private readonly o: GatewayOptions) {
    this.server = createServer((socket) => {
      this.accept(socket);
    });
    this.server.on('error', (err) => o.log?.error({ err: err.message }, 'JT/T 808 server error'));
    // Sessions ask again for missing subpackets even when their terminal has gone quiet.
    this.ticker = setInterval(() => {
      const now = (this.o.now ?? Date.now)();
      for (const session of this.sockets.values()) session.tick(now);
    }, 1000);
    this.ticker.unref();
  }

  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: this.o.host, port: this.o.port, backlog: 4096 }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
    clearInterval(this.ticker);
    for (const s of this.sockets.keys()) s.destroy();
    await closed;
  }

  private accept(socket: Socket): void {
    this.stats.connections++;
    this.stats.open++;
    socket.setNoDelay(true);
    socket.setTimeout(this.o.heartbeatTimeoutMs);
    const splitter = new FrameSplitter();
    let corked = false;
    const presence = this.o.presence;
    const link = randomBytes(8).toString('hex');
    let authed: { id: string; vehicleId: number | null } | null = null;
    const registry: TerminalRegistry = presence
      ? {
          register: (id, version, reg) => this.o.registry.register(id, version, reg),
          authenticate: async (id, code) => {
            const res = await this.o.registry.authenticate(id, code);
            if (res.ok && !socket.destroyed) {
              authed = { id, vehicleId: res.vehicleId ?? null };
              presence.online(id, authed.vehicleId, link);
            }
            return res;
          },
        }
      : this.o.registry;
    const session = new Jt808Session({
      registry,
      intake: this.o.intake,
      send: (frame) => {
        if (socket.destroyed) return;
        // Answers of one read (or one stored batch) leave in one write instead of one syscall each.
        if (!corked) {
          corked = true;
          socket.cork();
          setImmediate(() => {
            corked = false;
            socket.uncork();
          });
        }
        socket.write(frame);
      },
      close: () => socket.end(),
      now: this.o.now ?? Date.now,
      subpackageTimeoutMs: this.o.subpackageTimeoutMs,
      stats: this.stats,
      onError: (err) => this.o.log?.warn({ err: (err as Error).message }, 'JT/T 808 session error'),
    });
    this.sockets.set(socket, session);
    let chain: Promise<void> = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      const before = splitter.discarded;
      splitter.push(chunk, (frame) => {
        chain = chain.then(() => session.handle(frame));
      });
      this.stats.discardedBytes += splitter.discarded - before;
    });
    socket.on('timeout', () => {
      this.stats.idleClosed++;
      socket.destroy();
    });
    socket.on('error', () => undefined); // resets and the like: the close handler tidies up
    socket.on('close', () => {
      if (authed) presence?.offline(authed.id, authed.vehicleId, link);
      this.stats.open--;
      this.sockets.delete(socket);
    });
  }
}

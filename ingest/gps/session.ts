import { canonicalTerminalId, type GpsPoint } from './point.js';
import type { Intake } from './intake.js';
import type { TerminalRegistry } from './registry.js';
import {
  MSG,
  RESULT,
  Reassembler,
  decodeFrame,
  decodeMessage,
  encodeFrame,
  encodeGeneralResponse,
  encodeResendRequest,
  encodeRegisterResponse,
  type Frame,
  type Header,
  type Location,
} from './jt808/index.js';

/**
 * One terminal link's conversation, without the socket: frames in, reply frames out through
 * `send`. Before authentication only register (0x0100) and auth (0x0102) are served; anything
 * else is answered "failure". Location reports are acknowledged only once their points are
 * durable, so an acknowledged point is never lost. Nothing a terminal sends can throw out of
 * `handle`: every decoding problem becomes a counter and, where the header is readable, a
 * result-2 answer.
 */
export interface SessionStats {
  frames: number;
  badFrames: number;
  badChecksum: number;
  badMessages: number;
  refusedBeforeAuth: number;
  unsupported: number;
  points: number;
  ackFailures: number;
  /** 0x8003 requests sent for packets of a subpackaged message that did not come. */
  resendRequests: number;
}

export function emptyStats(): SessionStats {
  return {
    frames: 0,
    badFrames: 0,
    badChecksum: 0,
    badMessages: 0,
    refusedBeforeAuth: 0,
    unsupported: 0,
    points: 0,
    ackFailures: 0,
    resendRequests: 0,
  };
}

export interface SessionDeps {
  readonly registry: TerminalRegistry;
  readonly intake: Intake;
  readonly send: (frame: Buffer) => void;
  readonly close: () => void;
  readonly now: () => number;
  readonly subpackageTimeoutMs: number;
  /**
   * Packets of a subpackaged message still missing this long after the last one came (or at once
   * when the final packet came) are asked for again. Default: a quarter of the subpackage timeout.
   */
  readonly resendAfterMs?: number;
  /** Shared counters (the gateway's totals). */
  readonly stats: SessionStats;
  readonly onError?: (err: unknown) => void;
}

export class Jt808Session {
  private serial = 0;
  private terminal: { id: string; vehicleId?: number } | null = null;
  private readonly reassembler: Reassembler;
  private authFailures = 0;

  constructor(private readonly d: SessionDeps) {
    this.reassembler = new Reassembler(d.subpackageTimeoutMs);
  }

  get authenticated(): boolean {
    return this.terminal !== null;
  }

  /** Handle one frame (the bytes between two 0x7e flags). Never throws. */
  async handle(escaped: Buffer): Promise<void> {
    try {
      await this.handleFrame(escaped);
    } catch (err) {
      // Registry or storage trouble: the terminal will re-send; the link and process live on.
      this.d.onError?.(err);
    }
  }

  private async handleFrame(escaped: Buffer): Promise<void> {
    const s = this.d.stats;
    s.frames++;
    const r = decodeFrame(escaped);
    if (!r.ok) {
      if (r.reason === 'checksum') s.badChecksum++;
      else s.badFrames++;
      if (r.header) this.reply(r.header, RESULT.MESSAGE_ERROR);
      return;
    }
    const h = r.frame.header;
    if (h.encryption !== 0) {
      s.unsupported++;
      this.reply(h, RESULT.UNSUPPORTED);
      return;
    }
    const whole = this.reassembler.add(r.frame, this.d.now());
    if (!whole) {
      // A packet of a longer message: acknowledged as received; the message is answered when whole.
      this.reply(h, RESULT.OK);
      this.askForMissing(this.d.now());
      return;
    }
    // A reassembled message is answered against the packet that completed it: that serial is
    // the one the terminal is still waiting on (the earlier packets were answered one by one).
    await this.dispatch(whole, h);
  }

  /** Periodic check (the gateway's timer): ask again for packets that did not come. */
  tick(nowMs: number): void {
    this.askForMissing(nowMs);
  }

  private askForMissing(nowMs: number): void {
    const quietMs = this.d.resendAfterMs ?? Math.max(1000, this.d.subpackageTimeoutMs / 4);
    for (const m of this.reassembler.missing(nowMs, quietMs)) {
      this.d.stats.resendRequests++;
      this.d.send(
        this.frame(
          m.header,
          MSG.RESEND_REQUEST,
          encodeResendRequest({ firstSerial: m.firstSerial, packetIds: m.packetIds }, m.header.version),
        ),
      );
    }
  }

  private async dispatch(frame: Frame, answerTo: Header): Promise<void> {
    const h = { ...frame.header, serial: answerTo.serial };
    const decoded = decodeMessage(frame);
    if (!decoded.ok) {
      this.d.stats.badMessages++;
      this.reply(h, RESULT.MESSAGE_ERROR);
      return;
    }
    const msg = decoded.value;
    const id = canonicalTerminalId(h.terminalPhone);
    if (msg.kind === 'register') {
      const res = await this.d.registry.register(id, h.version, msg.value);
      this.d.send(
        this.frame(h, MSG.REGISTER_RESPONSE, encodeRegisterResponse({ replySerial: h.serial, ...res })),
      );
      return;
    }
    if (msg.kind === 'auth') {
      const res = await this.d.registry.authenticate(id, msg.value.authCode);
      if (res.ok) {
        this.terminal = res.vehicleId === undefined ? { id } : { id, vehicleId: res.vehicleId };
        this.authFailures = 0;
      } else if (++this.authFailures >= 3) {
        this.reply(h, RESULT.FAILURE);
        this.d.close();
        return;
      }
      this.reply(h, res.ok ? RESULT.OK : RESULT.FAILURE);
      return;
    }
    if (!this.terminal || this.terminal.id !== id) {
      this.d.stats.refusedBeforeAuth++;
      if (msg.kind !== 'response') this.reply(h, RESULT.FAILURE);
      return;
    }
    switch (msg.kind) {
      case 'heartbeat':
        this.reply(h, RESULT.OK);
        return;
      case 'logout':
        this.reply(h, RESULT.OK);
        this.terminal = null;
        this.d.close();
        return;
      case 'location': {
        this.store(h, [this.point(msg.value, false)]);
        return;
      }
      case 'batch': {
        this.store(
          h,
          msg.value.items.map((l) => this.point(l, msg.value.type === 1)),
        );
        return;
      }
      case 'response':
        return; // the terminal answering one of ours: nothing to do
      default:
        this.d.stats.unsupported++;
        this.reply(h, RESULT.UNSUPPORTED);
    }
  }

  private store(h: Header, points: GpsPoint[]): void {
    this.d.stats.points += points.length;
    // Not awaited: the next frame is decoded while these are written; the answer waits.
    this.d.intake.submit(points).then(
      () => {
        this.reply(h, RESULT.OK);
      },
      (err: unknown) => {
        this.d.stats.ackFailures++;
        this.d.onError?.(err);
        this.reply(h, RESULT.FAILURE);
      },
    );
  }

  private point(l: Location, backlog: boolean): GpsPoint {
    const t = this.terminal as { id: string; vehicleId?: number };
    const extra: Record<string, unknown> = { acc: l.acc };
    if (l.mileageKm !== undefined) extra.mileageKm = l.mileageKm;
    if (l.signal !== undefined) extra.signal = l.signal;
    if (l.satellites !== undefined) extra.satellites = l.satellites;
    if (l.extra.length > 0) extra.items = l.extra.map((x) => ({ id: x.id, hex: x.value.toString('hex') }));
    return {
      deviceId: t.id,
      ...(t.vehicleId !== undefined ? { vehicleId: t.vehicleId } : {}),
      fixTimeMs: l.timeMs,
      receivedMs: this.d.now(),
      lon: l.lon,
      lat: l.lat,
      speedKmh: l.speedKmh,
      headingDeg: l.headingDeg % 360,
      altitudeM: l.altitudeM,
      alarmBits: l.alarm,
      statusBits: l.status,
      ...(l.loadState ? { loadState: l.loadState } : {}),
      source: 'jt808',
      valid: l.fix,
      backlog,
      extra,
    };
  }

  private reply(h: Header, result: number): void {
    this.d.send(
      this.frame(
        h,
        MSG.PLATFORM_RESPONSE,
        encodeGeneralResponse({ replySerial: h.serial, replyId: h.msgId, result }),
      ),
    );
  }

  /** A platform frame in the terminal's own header edition, with this session's serial counter. */
  private frame(h: Header, msgId: number, body: Buffer): Buffer {
    const serial = this.serial;
    this.serial = (this.serial + 1) & 0xffff;
    return encodeFrame(
      {
        msgId,
        version: h.version,
        protocolVersion: h.protocolVersion || 1,
        terminalPhone: h.terminalPhone,
        serial,
      },
      body,
    );
  }
}

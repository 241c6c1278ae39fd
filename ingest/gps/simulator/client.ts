import { connect, type Socket } from 'node:net';
import {
  FrameSplitter,
  MSG,
  REGISTER_RESULT,
  decodeFrame,
  decodeGeneralResponse,
  decodeRegisterResponse,
  decodeResendRequest,
  encodeAuth,
  encodeFrame,
  encodeLocation,
  encodeLocationBatch,
  encodeRegister,
  type Header,
  type LocationInput,
  type ProtocolVersion,
  type ResendRequest,
} from '../jt808/index.js';

/**
 * A JT/T 808 terminal over real TCP, as a truck carries one: register (once), authenticate,
 * then report. Every request waits for its answer (matched on serial), so a caller can count
 * exactly what the platform acknowledged.
 */
export interface TerminalIdentity {
  readonly terminalId: string;
  readonly plate: string;
  readonly version?: ProtocolVersion;
}

export interface Answer {
  readonly msgId: number;
  readonly result: number;
  readonly authCode?: string;
}

export class TerminalClient {
  private socket: Socket | null = null;
  private serial = 0;
  private readonly waiting = new Map<number, (a: Answer) => void>();
  authCode: string | null = null;
  readonly version: ProtocolVersion;
  /** Answers that matched no request (or came after their timeout). */
  stray = 0;
  /** The platform's 0x8003 requests for packets of a subpackaged message, as they came. */
  readonly resendRequests: ResendRequest[] = [];

  constructor(
    readonly id: TerminalIdentity,
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs = 10_000,
  ) {
    this.version = id.version ?? '2013';
  }

  async connect(): Promise<void> {
    const socket = connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.on('error', () => undefined);
    const splitter = new FrameSplitter();
    socket.on('data', (chunk: Buffer) => {
      splitter.push(chunk, (f) => {
        this.onFrame(f);
      });
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      for (const [, done] of this.waiting) done({ msgId: -1, result: -1 });
      this.waiting.clear();
    });
    this.socket = socket;
  }

  get connected(): boolean {
    return this.socket !== null && !this.socket.destroyed;
  }

  /** Register when we have no auth code yet, then authenticate. Returns the register/auth result. */
  async login(): Promise<{ registered: number; authenticated: boolean }> {
    let registered: number = REGISTER_RESULT.OK;
    if (!this.authCode) {
      const a = await this.request(
        MSG.REGISTER,
        encodeRegister(
          {
            province: 44,
            city: 300,
            manufacturer: 'MWSIM',
            model: 'MW-T1',
            terminalModelId: this.id.terminalId.slice(-7),
            plateColor: 2,
            plate: this.id.plate,
          },
          this.version,
        ),
      );
      registered = a.result;
      if (a.result !== REGISTER_RESULT.OK || !a.authCode) return { registered, authenticated: false };
      this.authCode = a.authCode;
    }
    const auth = await this.request(
      MSG.AUTH,
      encodeAuth({ authCode: this.authCode, imei: '860000000000001', softwareVersion: '1.0' }, this.version),
    );
    return { registered, authenticated: auth.result === 0 };
  }

  location(l: LocationInput): Promise<Answer> {
    return this.request(MSG.LOCATION, encodeLocation(l));
  }

  batch(type: 0 | 1, items: readonly LocationInput[]): Promise<Answer> {
    return this.request(MSG.LOCATION_BATCH, encodeLocationBatch(type, items));
  }

  heartbeat(): Promise<Answer> {
    return this.request(MSG.HEARTBEAT, Buffer.alloc(0));
  }

  logout(): Promise<Answer> {
    return this.request(MSG.LOGOUT, Buffer.alloc(0));
  }

  /** Send raw bytes (bad packets, fuzz): no answer is awaited. */
  sendRaw(bytes: Buffer): void {
    this.socket?.write(bytes);
  }

  /** Build a frame with this terminal's header and the next serial. */
  frame(msgId: number, body: Buffer): { serial: number; bytes: Buffer } {
    const serial = this.serial;
    this.serial = (this.serial + 1) & 0xffff;
    const bytes = encodeFrame(
      { msgId, version: this.version, protocolVersion: 1, terminalPhone: this.id.terminalId, serial },
      body,
    );
    return { serial, bytes };
  }

  /** Send and wait for the answer; `prebuilt` sends a frame built elsewhere (its serial is read back). */
  request(msgId: number, body: Buffer, prebuilt?: Buffer): Promise<Answer> {
    const socket = this.socket;
    if (!socket) return Promise.resolve({ msgId: -1, result: -1 });
    const built = prebuilt ? { serial: serialOf(prebuilt), bytes: prebuilt } : this.frame(msgId, body);
    const { serial, bytes } = built;
    return new Promise<Answer>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(serial);
        resolve({ msgId: -1, result: -2 });
      }, this.timeoutMs);
      this.waiting.set(serial, (a) => {
        clearTimeout(timer);
        resolve(a);
      });
      this.write(socket, bytes);
    });
  }

  private corked = false;

  /** Requests issued together leave in one write (a pipelining client, or many in one tick). */
  private write(socket: Socket, bytes: Buffer): void {
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      setImmediate(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    socket.write(bytes);
  }

  /** Close the link abruptly (a truck driving into a tunnel), or politely after a logout. */
  drop(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  async end(): Promise<void> {
    const s = this.socket;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.once('close', () => {
        resolve();
      });
      s.end();
    });
  }

  private onFrame(escaped: Buffer): void {
    const r = decodeFrame(escaped);
    if (!r.ok) {
      this.stray++;
      return;
    }
    const { header, body } = r.frame;
    if (header.msgId === MSG.RESEND_REQUEST) {
      const req = decodeResendRequest(body, header.version);
      if (req.ok) this.resendRequests.push(req.value);
      else this.stray++;
      return;
    }
    const answered = this.answerOf(header, body);
    if (!answered) {
      this.stray++;
      return;
    }
    const done = this.waiting.get(answered.serial);
    if (!done) {
      this.stray++;
      return;
    }
    this.waiting.delete(answered.serial);
    done(answered.answer);
  }

  private answerOf(h: Header, body: Buffer): { serial: number; answer: Answer } | null {
    if (h.msgId === MSG.PLATFORM_RESPONSE) {
      const g = decodeGeneralResponse(body);
      return g.ok
        ? { serial: g.value.replySerial, answer: { msgId: g.value.replyId, result: g.value.result } }
        : null;
    }
    if (h.msgId === MSG.REGISTER_RESPONSE) {
      const g = decodeRegisterResponse(body);
      if (!g.ok) return null;
      const answer: Answer = {
        msgId: MSG.REGISTER,
        result: g.value.result,
        ...(g.value.authCode ? { authCode: g.value.authCode } : {}),
      };
      return { serial: g.value.replySerial, answer };
    }
    return null;
  }
}

/** The serial of a wire frame (header offset differs between 2013 and 2019). */
function serialOf(wire: Buffer): number {
  const r = decodeFrame(wire.subarray(1, wire.length - 1));
  return r.ok ? r.frame.header.serial : -1;
}

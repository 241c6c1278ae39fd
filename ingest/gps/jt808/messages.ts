import { fixedField, gbkDecode, gbkEncode } from './bytes.js';
import type { Frame, ProtocolVersion } from './frame.js';
import {
  decodeLocation,
  decodeLocationBatch,
  type Decoded,
  type Location,
  type LocationBatch,
} from './location.js';

/** Message ids this gateway speaks. */
export const MSG = {
  TERMINAL_RESPONSE: 0x0001,
  HEARTBEAT: 0x0002,
  LOGOUT: 0x0003,
  REGISTER: 0x0100,
  AUTH: 0x0102,
  LOCATION: 0x0200,
  LOCATION_BATCH: 0x0704,
  PLATFORM_RESPONSE: 0x8001,
  RESEND_REQUEST: 0x8003,
  REGISTER_RESPONSE: 0x8100,
} as const;

/** 0x8001 results. */
export const RESULT = { OK: 0, FAILURE: 1, MESSAGE_ERROR: 2, UNSUPPORTED: 3, ALARM_ACK: 4 } as const;

/** 0x8100 results. */
export const REGISTER_RESULT = {
  OK: 0,
  VEHICLE_ALREADY_REGISTERED: 1,
  NO_SUCH_VEHICLE: 2,
  TERMINAL_ALREADY_REGISTERED: 3,
  NO_SUCH_TERMINAL: 4,
} as const;

export interface Register {
  readonly province: number;
  readonly city: number;
  readonly manufacturer: string;
  readonly model: string;
  readonly terminalModelId: string;
  readonly plateColor: number;
  /** Plate (or VIN when plateColor is 0), GBK-decoded. */
  readonly plate: string;
}

// Field widths differ between editions: manufacturer 5/11, model 20/30, terminal id 7/30.
const REGISTER_WIDTHS = { '2013': [5, 20, 7], '2019': [11, 30, 30] } as const;

export function decodeRegister(body: Buffer, version: ProtocolVersion): Decoded<Register> {
  const [m, md, id] = REGISTER_WIDTHS[version];
  const fixed = 4 + m + md + id + 1;
  if (body.length < fixed) return { ok: false, reason: `register body shorter than ${String(fixed)} bytes` };
  let o = 4;
  const field = (n: number): string => {
    const s = gbkDecode(body.subarray(o, o + n)).trim();
    o += n;
    return s;
  };
  const manufacturer = field(m);
  const model = field(md);
  const terminalModelId = field(id);
  const plateColor = body[o] as number;
  const plate = gbkDecode(body.subarray(o + 1)).trim();
  return {
    ok: true,
    value: {
      province: body.readUInt16BE(0),
      city: body.readUInt16BE(2),
      manufacturer,
      model,
      terminalModelId,
      plateColor,
      plate,
    },
  };
}

export function encodeRegister(r: Register, version: ProtocolVersion): Buffer {
  const [m, md, id] = REGISTER_WIDTHS[version];
  const head = Buffer.alloc(4);
  head.writeUInt16BE(r.province, 0);
  head.writeUInt16BE(r.city, 2);
  return Buffer.concat([
    head,
    fixedField(r.manufacturer, m),
    fixedField(r.model, md),
    fixedField(r.terminalModelId, id),
    Buffer.from([r.plateColor]),
    gbkEncode(r.plate),
  ]);
}

export interface RegisterResponse {
  readonly replySerial: number;
  readonly result: number;
  readonly authCode?: string;
}

export function encodeRegisterResponse(r: RegisterResponse): Buffer {
  const head = Buffer.alloc(3);
  head.writeUInt16BE(r.replySerial, 0);
  head[2] = r.result;
  // The auth code follows only on success.
  return r.result === REGISTER_RESULT.OK && r.authCode ? Buffer.concat([head, gbkEncode(r.authCode)]) : head;
}

export function decodeRegisterResponse(body: Buffer): Decoded<RegisterResponse> {
  if (body.length < 3) return { ok: false, reason: 'register response shorter than 3 bytes' };
  const result = body[2] as number;
  return {
    ok: true,
    value: {
      replySerial: body.readUInt16BE(0),
      result,
      ...(body.length > 3 ? { authCode: gbkDecode(body.subarray(3)) } : {}),
    },
  };
}

export interface Auth {
  readonly authCode: string;
  /** 2019 only. */
  readonly imei?: string;
  readonly softwareVersion?: string;
}

export function decodeAuth(body: Buffer, version: ProtocolVersion): Decoded<Auth> {
  if (version === '2013') return { ok: true, value: { authCode: gbkDecode(body) } };
  // 2019: length BYTE, code, IMEI BYTE[15], software version BYTE[20].
  if (body.length < 1) return { ok: false, reason: 'auth body empty' };
  const n = body[0] as number;
  if (body.length < 1 + n + 35) return { ok: false, reason: 'auth body shorter than its fields' };
  return {
    ok: true,
    value: {
      authCode: gbkDecode(body.subarray(1, 1 + n)),
      imei: gbkDecode(body.subarray(1 + n, 16 + n)).trim(),
      softwareVersion: gbkDecode(body.subarray(16 + n, 36 + n)).trim(),
    },
  };
}

export function encodeAuth(a: Auth, version: ProtocolVersion): Buffer {
  const code = gbkEncode(a.authCode);
  if (version === '2013') return code;
  return Buffer.concat([
    Buffer.from([code.length]),
    code,
    fixedField(a.imei ?? '', 15),
    fixedField(a.softwareVersion ?? '', 20),
  ]);
}

/** 0x8001 / 0x0001: the serial and id of the message answered, and a result byte. */
export interface GeneralResponse {
  readonly replySerial: number;
  readonly replyId: number;
  readonly result: number;
}

export function encodeGeneralResponse(r: GeneralResponse): Buffer {
  const b = Buffer.alloc(5);
  b.writeUInt16BE(r.replySerial, 0);
  b.writeUInt16BE(r.replyId, 2);
  b[4] = r.result;
  return b;
}

export function decodeGeneralResponse(body: Buffer): Decoded<GeneralResponse> {
  if (body.length !== 5) return { ok: false, reason: 'general response is not 5 bytes' };
  return {
    ok: true,
    value: { replySerial: body.readUInt16BE(0), replyId: body.readUInt16BE(2), result: body[4] as number },
  };
}

/** A terminal message, decoded by id; `other` carries anything we do not interpret. */
export type TerminalMessage =
  | { readonly kind: 'register'; readonly value: Register }
  | { readonly kind: 'auth'; readonly value: Auth }
  | { readonly kind: 'heartbeat' }
  | { readonly kind: 'logout' }
  | { readonly kind: 'location'; readonly value: Location }
  | { readonly kind: 'batch'; readonly value: LocationBatch }
  | { readonly kind: 'response'; readonly value: GeneralResponse }
  | { readonly kind: 'other' };

export function decodeMessage(frame: Frame): Decoded<TerminalMessage> {
  const { header, body } = frame;
  const wrap = <T>(kind: TerminalMessage['kind'], d: Decoded<T>): Decoded<TerminalMessage> =>
    d.ok ? { ok: true, value: { kind, value: d.value } as unknown as TerminalMessage } : d;
  switch (header.msgId) {
    case MSG.REGISTER:
      return wrap('register', decodeRegister(body, header.version));
    case MSG.AUTH:
      return wrap('auth', decodeAuth(body, header.version));
    case MSG.HEARTBEAT:
      return { ok: true, value: { kind: 'heartbeat' } };
    case MSG.LOGOUT:
      return { ok: true, value: { kind: 'logout' } };
    case MSG.LOCATION:
      return wrap('location', decodeLocation(body));
    case MSG.LOCATION_BATCH:
      return wrap('batch', decodeLocationBatch(body));
    case MSG.TERMINAL_RESPONSE:
      return wrap('response', decodeGeneralResponse(body));
    default:
      return { ok: true, value: { kind: 'other' } };
  }
}

import { PointFilter } from './filters.js';
import { TEST_INTAKE_SETTINGS } from './harness.js';
import type { Intake } from './intake.js';
import {
  FrameSplitter,
  MSG,
  decodeFrame,
  encodeAuth,
  encodeFrame,
  encodeLocation,
  encodeLocationBatch,
  encodeRegister,
  escapeAndWrap,
  unescapeFrame,
  xorChecksum,
  type ProtocolVersion,
} from './jt808/index.js';
import type { TerminalRegistry } from './registry.js';
import { Jt808Session, emptyStats, type SessionStats } from './session.js';
import { prng } from './simulator/tracks.js';

/**
 * Fuzzing the JT/T 808 path: valid frames of every kind, mutated (bit flips with the check code
 * fixed up, truncation, extension, a lying length, raw flips) and pure noise, delivered in random
 * TCP-sized pieces through the splitter, codec, session and filters. The registry and intake
 * are plain in-memory implementations of their interfaces. Used by the test (≥ 100k frames)
 * and the benchmark (millions).
 */
export interface FuzzResult {
  frames: number;
  answers: number;
  malformedAnswers: number;
  closes: number;
  points: number;
  /** Errors that escaped the session into its error hook (there should be none). */
  errors: unknown[];
  hung: boolean;
  elapsedMs: number;
  stats: SessionStats;
}

export async function runFuzz(total: number, seed = 808): Promise<FuzzResult> {
  const errors: unknown[] = [];
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const now = Date.UTC(2026, 10, 27, 4, 0, 0);
  const registry: TerminalRegistry = {
    register: () => Promise.resolve({ result: int(2) === 0 ? 0 : 4, authCode: 'A1' }),
    authenticate: (_id, code) => Promise.resolve(code === 'A1' ? { ok: true, vehicleId: 7 } : { ok: false }),
  };
  const filter = new PointFilter({ ...TEST_INTAKE_SETTINGS, reorderToleranceMs: 30_000 });
  let points = 0;
  const intake: Intake = {
    submit: (ps) => {
      const r = filter.screen(ps, now);
      points += ps.length;
      return Promise.resolve({ accepted: r.accepted.length, rejected: r.rejected });
    },
  };
  let answers = 0;
  let malformedAnswers = 0;
  let closes = 0;
  const stats = emptyStats();
  const newSession = (): Jt808Session =>
    new Jt808Session({
      registry,
      intake,
      send: (f) => {
        answers++;
        const r = decodeFrame(f.subarray(1, f.length - 1));
        if (!r.ok || f[0] !== 0x7e || f[f.length - 1] !== 0x7e) malformedAnswers++;
      },
      close: () => closes++,
      now: () => now,
      subpackageTimeoutMs: 1000,
      stats,
      onError: (err) => {
        errors.push(err);
      },
    });

  const version = (): ProtocolVersion => (int(2) === 0 ? '2013' : '2019');
  const phone = '13912345678';
  const valid = (): Buffer => {
    const v = version();
    const serial = int(0x10000);
    const loc = () =>
      encodeLocation({
        alarm: int(2 ** 32),
        status: int(2 ** 32),
        lat: (rnd() - 0.5) * 180,
        lon: (rnd() - 0.5) * 360,
        speedKmh: int(6000) / 10,
        headingDeg: int(360),
        timeMs: now - int(10 * 86_400_000) + int(86_400_000),
        ...(int(2) ? { mileageKm: int(100000) / 10, signal: int(32), satellites: int(20) } : {}),
        ...(int(3) === 0
          ? { extra: [{ id: 0xe0 + int(16), value: Buffer.from([int(256), int(256)]) }] }
          : {}),
      });
    const kinds: [number, () => Buffer][] = [
      [MSG.LOCATION, loc],
      [
        MSG.LOCATION_BATCH,
        () =>
          encodeLocationBatch(
            int(2) as 0 | 1,
            Array.from({ length: 1 + int(5) }, () => ({
              lat: 22,
              lon: 114,
              timeMs: now - int(3_600_000),
              status: 2,
            })),
          ),
      ],
      [MSG.AUTH, () => encodeAuth({ authCode: int(3) ? 'A1' : 'nope' }, v)],
      [
        MSG.REGISTER,
        () =>
          encodeRegister(
            {
              province: 1,
              city: 2,
              manufacturer: 'M',
              model: 'X',
              terminalModelId: 'T',
              plateColor: 1,
              plate: '粤B1',
            },
            v,
          ),
      ],
      [MSG.HEARTBEAT, () => Buffer.alloc(0)],
      [MSG.LOGOUT, () => Buffer.alloc(0)],
      [MSG.TERMINAL_RESPONSE, () => Buffer.from([0, 1, 0x80, 0x01, 0])],
      [0x0900 + int(16), () => Buffer.alloc(int(40), int(256))],
    ];
    const [msgId, body] = kinds[int(kinds.length)] as [number, () => Buffer];
    const packet = int(20) === 0 ? { total: 1 + int(3), index: 1 + int(3) } : undefined;
    return encodeFrame(
      {
        msgId,
        version: v,
        protocolVersion: 1,
        terminalPhone: phone,
        serial,
        ...(packet ? { packet } : {}),
      },
      body(),
    );
  };
  const reChecksum = (inner: Buffer): Buffer => {
    const b = Buffer.from(inner);
    if (b.length > 0) b[b.length - 1] = xorChecksum(b, 0, b.length - 1);
    return escapeAndWrap(b);
  };
  const flip = (b: Buffer, at: number): void => {
    if (at < b.length) b[at] = (b[at] ?? 0) ^ (1 << int(8));
  };
  const mutate = (wire: Buffer): Buffer => {
    const inner = Buffer.from(unescapeFrame(wire.subarray(1, wire.length - 1)) ?? Buffer.alloc(0));
    switch (int(6)) {
      case 0: // flip bits, keep the check code right so the decoders see the damage
        for (let k = 0; k < 1 + int(4); k++) flip(inner, int(inner.length));
        return reChecksum(inner);
      case 1: // truncate
        return reChecksum(inner.subarray(0, int(inner.length + 1)));
      case 2: // extend with random bytes
        return reChecksum(
          Buffer.concat([inner, Buffer.from(Array.from({ length: 1 + int(30) }, () => int(256)))]),
        );
      case 3: // raw flip (check code now wrong, maybe a broken escape)
        if (wire.length > 2) flip(wire, 1 + int(wire.length - 2));
        return wire;
      case 4: // lie about the body length
        if (inner.length > 4) inner.writeUInt16BE(int(0x10000), 2);
        return reChecksum(inner);
      default: // pure noise
        return Buffer.from(Array.from({ length: int(64) }, () => (int(8) === 0 ? 0x7e : int(256))));
    }
  };

  let session = newSession();
  let splitter = new FrameSplitter(2048);
  let pending: Promise<void> = Promise.resolve();
  let frames = 0;
  const start = Date.now();
  for (let i = 0; i < total; i++) {
    if (i % 5000 === 0) {
      // a new link now and then, and an authenticated one most of the time
      await pending;
      session = newSession();
      splitter = new FrameSplitter(2048);
      const auth = encodeFrame(
        { msgId: MSG.AUTH, version: '2013', terminalPhone: phone, serial: 1 },
        encodeAuth({ authCode: 'A1' }, '2013'),
      );
      splitter.push(auth, (f) => {
        pending = pending.then(() => session.handle(f));
      });
    }
    const wire = int(3) === 0 ? valid() : mutate(valid());
    // deliver in random chunks, as TCP may
    let o = 0;
    while (o < wire.length) {
      const n = 1 + int(wire.length);
      const s = session;
      splitter.push(wire.subarray(o, o + n), (f) => {
        frames++;
        pending = pending.then(() => s.handle(f));
      });
      o += n;
    }
    if (i % 256 === 0) await pending;
  }
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => {
      resolve('hang');
    }, 10_000);
  });
  const hung = (await Promise.race([pending.then(() => 'done'), hang])) === 'hang';
  clearTimeout(timer);
  return {
    frames,
    answers,
    malformedAnswers,
    closes,
    points,
    errors,
    hung,
    elapsedMs: Date.now() - start,
    stats,
  };
}

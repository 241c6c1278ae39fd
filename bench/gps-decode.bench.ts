/**
 * JT/T 808 gateway decode + ack, one core: a stream of 0x0200 location frames (with additional
 * items) through the frame splitter, check code, header and body decoding, the session (auth
 * state, point building) and the 0x8001 answer encoding. Storage is an in-memory intake that
 * resolves at once, so this isolates what a gateway core does per report.
 */
import type { Benchmark } from './record.js';
import { Jt808Session, emptyStats, jt808, type Intake, type TerminalRegistry } from '../ingest/index.js';

const REPORTS = 400_000;

const bench: Benchmark = {
  name: 'gps-decode',
  async run() {
    const phone = '13912345678';
    const t0 = Date.UTC(2026, 10, 27, 0, 0, 0);
    const frames: Buffer[] = [
      jt808.encodeFrame(
        { msgId: 0x0102, version: '2013', terminalPhone: phone, serial: 0 },
        jt808.encodeAuth({ authCode: 'A' }, '2013'),
      ),
    ];
    for (let i = 0; i < REPORTS; i++) {
      const body = jt808.encodeLocation({
        status: 0x303,
        lat: 22.5 + (i % 1000) * 1e-5,
        lon: 114.0 + (i % 997) * 1e-5,
        speedKmh: 40,
        headingDeg: i % 360,
        timeMs: t0 + i * 1000,
        mileageKm: i / 10,
        signal: 25,
        satellites: 11,
      });
      frames.push(
        jt808.encodeFrame({ msgId: 0x0200, version: '2013', terminalPhone: phone, serial: i & 0xffff }, body),
      );
    }
    // TCP delivers chunks, not frames: 64 KiB reads.
    const stream = Buffer.concat(frames);
    const chunks: Buffer[] = [];
    for (let o = 0; o < stream.length; o += 65_536) chunks.push(stream.subarray(o, o + 65_536));

    const registry: TerminalRegistry = {
      register: () => Promise.resolve({ result: 0, authCode: 'A' }),
      authenticate: () => Promise.resolve({ ok: true, vehicleId: 1 }),
    };
    const intake: Intake = { submit: (ps) => Promise.resolve({ accepted: ps.length, rejected: [] }) };
    let acks = 0;
    let ackBytes = 0;
    const session = new Jt808Session({
      registry,
      intake,
      send: (f) => {
        acks++;
        ackBytes += f.length;
      },
      close: () => undefined,
      now: () => t0,
      subpackageTimeoutMs: 60_000,
      stats: emptyStats(),
    });
    const splitter = new jt808.FrameSplitter();
    const start = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    let chain: Promise<void> = Promise.resolve();
    for (const c of chunks) {
      splitter.push(c, (f) => {
        chain = chain.then(() => session.handle(f));
      });
      await chain; // as a socket would: one read at a time
    }
    await new Promise((r) => setImmediate(r));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    if (acks !== REPORTS + 1) throw new Error(`expected ${String(REPORTS + 1)} acks, got ${String(acks)}`);
    process.stdout.write(
      `gps-decode: ${String(REPORTS)} reports in ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU; ${String(ackBytes)} ack bytes\n`,
    );
    return {
      metric: 'location reports decoded + acknowledged per second of one core (CPU time)',
      value: Math.round(REPORTS / cpuSeconds),
      unit: 'reports/s/core',
      baseline: null,
      target: '≥ 20,000',
    };
  },
};
export default bench;

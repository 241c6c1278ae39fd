import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipBase, startCameraSimulator, type CameraSimulator } from '../fixtures/index.js';
import { ffprobeBeside, grabJpeg, parseRate, probeStream } from './camera-probe.js';

/** The connection test and snapshot against a real RTSP server (the camera simulator). */
describe('camera probe and snapshot', () => {
  let sim: CameraSimulator;
  let silent: Server;
  let silentPort: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    sim = await startCameraSimulator({
      streams: [
        { path: 'gate', clips: [`${clipBase('dumping-gate')}.mp4`] },
        {
          path: 'secure',
          clips: [`${clipBase('dumping-gate')}.mp4`],
          credentials: { user: 'admin', pass: 'right' },
        },
      ],
    });
    // Accepts the connection and never answers: the probe must give up on its own.
    silent = createServer((sock) => sockets.push(sock));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const sock of sockets) sock.destroy();
    await new Promise((r) => silent.close(r));
    await sim.stop();
  });

  it('reports codec, resolution and frame rate of a working stream', async () => {
    const r = await probeStream('ffprobe', { url: sim.url('gate'), transport: 'tcp', timeoutS: 5 });
    expect(r).toMatchObject({ ok: true, codec: 'h264' });
    if (!r.ok) return;
    expect(r.width).toBeGreaterThan(0);
    expect(r.height).toBeGreaterThan(0);
    expect(r.fps).toBeGreaterThan(0);
  });

  it('names the failure: wrong password (without repeating it), no such path, nothing listening, silence', async () => {
    const auth = await probeStream('ffprobe', {
      url: sim.url('secure', { user: 'admin', pass: 'wrong-pass' }),
      transport: 'tcp',
      timeoutS: 5,
    });
    expect(auth).toMatchObject({ ok: false, failure: { kind: 'auth_refused' } });
    expect(JSON.stringify(auth)).not.toContain('wrong-pass');
    const missing = await probeStream('ffprobe', { url: sim.url('nope'), transport: 'tcp', timeoutS: 5 });
    expect(missing).toMatchObject({ ok: false, failure: { kind: 'not_found' } });
    const refused = await probeStream('ffprobe', {
      url: 'rtsp://127.0.0.1:9/x',
      transport: 'tcp',
      timeoutS: 5,
    });
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'connection_refused' } });
    const quiet = await probeStream('ffprobe', {
      url: `rtsp://127.0.0.1:${String(silentPort)}/x`,
      transport: 'tcp',
      timeoutS: 2,
    });
    expect(quiet).toMatchObject({ ok: false, failure: { kind: 'timeout' } });
  });

  it('grabs one JPEG frame, with credentials', async () => {
    const r = await grabJpeg('ffmpeg', {
      url: sim.url('secure', { user: 'admin', pass: 'right' }),
      transport: 'tcp',
      timeoutS: 5,
    });
    expect(r.ok).toBe(true);
    if (r.ok) expect([...r.jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
  });

  it('reads frame rates and finds ffprobe beside ffmpeg', () => {
    expect(parseRate('30000/1001')).toBe(29.97);
    expect(parseRate('0/0')).toBeNull();
    expect(ffprobeBeside('/opt/ff/bin/ffmpeg')).toBe('/opt/ff/bin/ffprobe');
    expect(ffprobeBeside('ffmpeg')).toBe('ffprobe');
  });
});

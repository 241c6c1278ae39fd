import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * The RTSP camera simulator in a process of its own serving `clip` as cameras cam0..cam{count-1}
 * (and `subClip`, if given, as their sub streams sub0..):
 * on a real node the cameras are elsewhere, so the simulator must not share the pipeline's event
 * loop (packetising a dozen 1080p streams there would slow the pipeline it measures). Kill `child`
 * when done.
 */
export async function startSimulatorProcess(
  count: number,
  clip: string,
  subClip?: string,
): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/camera-sim-child.ts', String(count), clip, ...(subClip ? [subClip] : [])],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.once('line', resolve);
    child.once('exit', (code) => {
      reject(new Error(`camera simulator exited with ${String(code)}`));
    });
  });
  return { base: (JSON.parse(line) as { base: string }).base, child };
}

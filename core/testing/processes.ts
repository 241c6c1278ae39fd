import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => {
        resolve(port);
      });
    });
  });
}

export interface RunningProcess {
  readonly name: string;
  /** Everything it printed so far (JSON log lines on stdout, errors on stderr). */
  readonly output: () => { stdout: string; stderr: string };
  /** Resolves when a stdout line matches, rejects when the process exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Start a MuckWatch entry point for real (node + tsx), as the demo and compose run it. */
export function startProcess(name: string, entry: string, env: Record<string, string>): RunningProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let exit: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      exit = code;
      resolve(code);
    });
  });
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    name,
    output: () => ({ stdout, stderr }),
    waitFor: async (pattern, timeoutMs) => {
      const until = Date.now() + timeoutMs;
      while (!pattern.test(stdout)) {
        if (exit !== undefined)
          throw new Error(`${name} exited (${String(exit)}) before ${String(pattern)}:\n${stderr}`);
        if (Date.now() > until)
          throw new Error(`${name}: no ${String(pattern)} within ${String(timeoutMs)} ms:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: async (graceMs = 15_000) => {
      if (exit !== undefined) return exit;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

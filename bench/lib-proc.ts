import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { decoderOptions } from '../ingest/index.js';

const TICK = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}

/** PIDs of running processes whose command line contains every needle. */
export function findPids(...needles: string[]): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (needles.every((n) => cmd.includes(n))) out.push(Number(d));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** CPU-s per second a running process uses over `windowMs`, after `settleMs` past its start-up. */
export async function cpuRate(pid: number, windowMs: number, settleMs = 2000): Promise<number> {
  await pause(settleMs);
  const c0 = cpuSeconds(pid);
  const t0 = performance.now();
  await pause(windowMs);
  return (cpuSeconds(pid) - c0) / ((performance.now() - t0) / 1000);
}

/**
 * CPU-s per second of a plain decode of one RTSP stream (`ffmpeg -i URL -f null -`) with the
 * pipeline's default decoder settings: what any analysis of that camera must spend at least.
 */
export async function plainDecodeCpu(url: string, windowMs: number): Promise<number> {
  const args = [
    '-v',
    'error',
    ...decoderOptions(false),
    '-rtsp_transport',
    'tcp',
    '-i',
    url,
    '-f',
    'null',
    '-',
  ];
  const p = spawn('ffmpeg', args);
  try {
    return await cpuRate(p.pid ?? 0, windowMs);
  } finally {
    p.kill('SIGKILL');
  }
}

/** CPU seconds each thread of a process has used so far, summed by thread name. */
export function threadCpuByName(pid: number | 'self' = 'self'): Map<string, number> {
  const out = new Map<string, number>();
  const dir = `/proc/${String(pid)}/task`;
  for (const tid of readdirSync(dir)) {
    try {
      const stat = readFileSync(`${dir}/${tid}/stat`, 'utf8');
      const name = `${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}:${tid === String(pid === 'self' ? process.pid : pid) ? 'main' : tid}`;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const s = (Number(fields[11]) + Number(fields[12])) / TICK;
      out.set(name, (out.get(name) ?? 0) + s);
    } catch {
      // the thread ended while we looked
    }
  }
  return out;
}

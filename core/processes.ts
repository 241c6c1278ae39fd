/**
 * The processes MuckWatch runs. The demo launcher, docker-compose.yml and the README are
 * checked against this list so they cannot drift apart.
 */
export interface ProcessSpec {
  readonly name: string;
  readonly entry: string;
  readonly description: string;
  /** Config keys of ports this process listens on (for compose and health checks). */
  readonly ports: readonly string[];
  /** Standard port of its operations endpoint (/metrics, /health) when OPS_PORT is 0. */
  readonly opsPort: number;
}

export const PROCESSES = [
  {
    name: 'console',
    entry: 'bin/console.ts',
    description: 'Fastify API and web app for operators, enforcement teams, auditors and admins',
    ports: ['console.port'],
    opsPort: 9461,
  },
  {
    name: 'gps-gateway',
    entry: 'bin/gps-gateway.ts',
    description: 'JT/T 808 TCP gateway and HTTP position intake',
    ports: ['gps.jt808Port', 'gps.httpPort'],
    opsPort: 9462,
  },
  {
    name: 'pipeline',
    entry: 'bin/pipeline.ts',
    description: 'Pipeline node: camera ingest, recording, inference, camera rules, evidence clips',
    ports: [],
    opsPort: 9463,
  },
  {
    name: 'rules-worker',
    entry: 'bin/rules-worker.ts',
    description: 'GPS and camera rules, detection-to-truck linking, incidents',
    ports: [],
    opsPort: 9464,
  },
] as const satisfies readonly ProcessSpec[];

export type ProcessName = (typeof PROCESSES)[number]['name'];

/** The port a process's operations endpoint listens on: OPS_PORT, else the process's standard one. */
export function opsPortOf(config: { readonly ops: { readonly port: number } }, name: ProcessName): number {
  return config.ops.port || PROCESSES.find((p) => p.name === name)?.opsPort || 0;
}

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
}

export const PROCESSES = [
  {
    name: 'console',
    entry: 'bin/console.ts',
    description: 'Fastify API and web app for operators, enforcement teams, auditors and admins',
    ports: ['console.port'],
  },
  {
    name: 'gps-gateway',
    entry: 'bin/gps-gateway.ts',
    description: 'JT/T 808 TCP gateway and HTTP position intake',
    ports: ['gps.jt808Port', 'gps.httpPort'],
  },
  {
    name: 'pipeline',
    entry: 'bin/pipeline.ts',
    description: 'Pipeline node: camera ingest, recording, inference, camera rules, evidence clips',
    ports: [],
  },
  {
    name: 'rules-worker',
    entry: 'bin/rules-worker.ts',
    description: 'GPS and camera rules, detection-to-truck linking, incidents',
    ports: [],
  },
] as const satisfies readonly ProcessSpec[];

export type ProcessName = (typeof PROCESSES)[number]['name'];

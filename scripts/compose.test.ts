import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PROCESSES, loadConfig } from '../core/index.js';

interface Service {
  command?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  environment?: Record<string, string>;
}
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};

describe('docker-compose.yml matches the processes the code defines', () => {
  it('has postgis, redis and exactly one service per process', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['postgis', 'redis', ...PROCESSES.map((p) => p.name)].sort(),
    );
  });

  it.each(PROCESSES.map((p) => [p.name, p] as const))(
    '%s runs its entry, is health-checked, waits for services',
    (name, p) => {
      const svc = compose.services[name];
      expect(svc?.command).toContain(p.entry);
      expect(svc?.healthcheck?.test.join(' ')).toContain(name);
      expect(svc?.depends_on?.postgis?.condition).toBe('service_healthy');
      expect(svc?.depends_on?.redis?.condition).toBe('service_healthy');
      const env = svc?.environment ?? {};
      expect(loadConfig({ env }).database.url).toContain('@postgis:5432/');
      // Health checks and Prometheus reach the ops endpoint from outside the process's container.
      expect(svc?.healthcheck?.test.join(' ')).toContain('scripts/healthcheck.ts');
      expect(loadConfig({ env }).ops.host).toBe('0.0.0.0');
      const defaults = loadConfig({ env: {} }) as unknown as Record<string, Record<string, number>>;
      for (const key of p.ports) {
        const [group, leaf] = key.split('.') as [string, string];
        expect(svc?.ports?.some((m) => m.endsWith(`:${String(defaults[group]?.[leaf])}`))).toBe(true);
      }
    },
  );
});

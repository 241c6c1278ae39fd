import type { Metrics, Pool } from '../../core/index.js';
import type { RulesWorkerStats } from '../../rules/index.js';

/** The rules worker's counters, and incidents by type and status as stored (survives restarts). */
export function rulesWorkerMetrics(metrics: Metrics, stats: RulesWorkerStats, pool: Pool): void {
  metrics.counterOf(
    'muckwatch_rules_fixes_total',
    'GPS fixes evaluated by the rules.',
    [],
    () => stats.fixes,
  );
  metrics.counterOf(
    'muckwatch_rules_unknown_device_total',
    'Fixes from a device bound to no vehicle.',
    [],
    () => stats.unknownDevice,
  );
  metrics.counterOf(
    'muckwatch_rules_incident_writes_total',
    'Incidents written, by kind of write.',
    ['kind'],
    () => [
      [{ kind: 'created' }, stats.incidentsCreated],
      [{ kind: 'updated' }, stats.incidentsUpdated],
    ],
  );
  metrics.counterOf(
    'muckwatch_rules_reloads_total',
    'Zones/fleet/cameras re-read after a change.',
    [],
    () => stats.reloads,
  );
  metrics.gaugeOf(
    'muckwatch_incidents',
    'Incidents stored, by type and status.',
    ['type', 'status'],
    async () => {
      const r = await pool.query<{ type: string; status: string; n: string }>(
        'SELECT type, status, count(*) AS n FROM incidents GROUP BY type, status',
      );
      return r.rows.map((row) => [{ type: row.type, status: row.status }, Number(row.n)] as const);
    },
  );
}

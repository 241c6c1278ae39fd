import type { Metrics } from '../../core/index.js';
import type { GatewayStats } from '../../ingest/index.js';

interface WriterStats {
  readonly stored: number;
  readonly duplicates: number;
  readonly quarantined: number;
  readonly refused: number;
  readonly spooledBatches: number;
  readonly batches: number;
  readonly writeMs: number;
}

/** The gateway's and the point writer's own counters, read at scrape time. */
export function gpsGatewayMetrics(metrics: Metrics, gateway: GatewayStats, writer: WriterStats): void {
  metrics.gaugeOf(
    'muckwatch_gps_connections_open',
    'JT/T 808 terminal connections open.',
    [],
    () => gateway.open,
  );
  metrics.counterOf(
    'muckwatch_gps_connections_total',
    'JT/T 808 connections accepted.',
    [],
    () => gateway.connections,
  );
  metrics.counterOf(
    'muckwatch_gps_idle_closed_total',
    'Links closed after the heartbeat timeout.',
    [],
    () => gateway.idleClosed,
  );
  metrics.counterOf('muckwatch_gps_frames_total', 'JT/T 808 frames by outcome.', ['outcome'], () => [
    [{ outcome: 'ok' }, gateway.frames - gateway.badFrames - gateway.badChecksum],
    [{ outcome: 'bad_frame' }, gateway.badFrames],
    [{ outcome: 'bad_checksum' }, gateway.badChecksum],
    [{ outcome: 'bad_message' }, gateway.badMessages],
    [{ outcome: 'refused_before_auth' }, gateway.refusedBeforeAuth],
    [{ outcome: 'unsupported' }, gateway.unsupported],
  ]);
  metrics.counterOf(
    'muckwatch_gps_points_total',
    'GPS points by outcome (rate of stored = points/s written to PostGIS).',
    ['outcome'],
    () => [
      [{ outcome: 'stored' }, writer.stored],
      [{ outcome: 'duplicate' }, writer.duplicates],
      [{ outcome: 'quarantined' }, writer.quarantined],
      [{ outcome: 'refused' }, writer.refused],
    ],
  );
  metrics.counterOf(
    'muckwatch_gps_write_batches_total',
    'Batches written to PostGIS.',
    [],
    () => writer.batches,
  );
  metrics.counterOf(
    'muckwatch_gps_write_seconds_total',
    'Time spent writing batches.',
    [],
    () => writer.writeMs / 1000,
  );
  metrics.counterOf(
    'muckwatch_gps_spooled_batches_total',
    'Batches spooled to Redis while PostgreSQL was unavailable.',
    [],
    () => writer.spooledBatches,
  );
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Labels = Record<string, string | number>;
/** One labelled value read at scrape time. */
export type Sample = readonly [Labels, number];
type Read = () => Iterable<Sample> | number | Promise<Iterable<Sample> | number>;

const samplesOf = (v: Iterable<Sample> | number): Iterable<Sample> => (typeof v === 'number' ? [[{}, v]] : v);

/**
 * A process's Prometheus metrics, labelled with its process and node name, plus Node.js's own
 * (CPU, memory, event-loop lag, GC). Most MuckWatch figures already live in stats objects of the
 * parts that own them, so they are read at scrape time (`gaugeOf`, `counterOf`) rather than
 * pushed from hot paths; only timings that need a distribution are observed as they happen.
 */
export class Metrics {
  readonly registry = new Registry();

  constructor(process: string, node: string) {
    this.registry.setDefaultLabels({ process, node });
    collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(
    name: string,
    help: string,
    buckets: readonly number[],
    labelNames: readonly L[] = [],
  ): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [this.registry] });
  }

  /** A value read when scraped (a queue depth, cameras held, connections open). */
  gaugeOf(name: string, help: string, labelNames: readonly string[], read: Read): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        const samples = samplesOf(await read());
        this.reset();
        for (const [labels, value] of samples) this.set(labels, value);
      },
    });
  }

  /** A running total kept by its owner (frames, points, drops), exposed as a counter when scraped. */
  counterOf(name: string, help: string, labelNames: readonly string[], read: Read): void {
    new Counter({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        const samples = samplesOf(await read());
        this.reset();
        for (const [labels, value] of samples) this.inc(labels, Math.max(0, value));
      },
    });
  }

  /** The exposition text; a collector that throws is reported by prom-client as a failed scrape. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

import { collectDefaultMetrics, Registry } from 'prom-client';
import type { EngineEvent } from '../../../shared/events';
import type { Workspace } from '../../workspace/workspace';
import { jobMetricsListener } from './jobMetrics';
import { registerOperationsGauges } from './operationsGauges';

const MISNAMED_DEFAULT_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** What the metrics read: the workspace (gauges at scrape time) and the engine's event stream (jobs). */
export interface MetricsHost {
  workspace: Pick<Workspace, 'all'>;
  onEvent(cb: (event: EngineEvent) => void): () => void;
}

/** A scrape's answer: the text exposition format and the content type that names its version. */
export interface Exposition {
  contentType: string;
  text: string;
}

/**
 * The engine's Prometheus registry: process and Node defaults (of the engine process, where the work
 * happens), job counts and durations, and the `bullpen_*` operations gauges. Its own Registry, not
 * prom-client's global one, so two engines in one process (tests) never share series.
 */
export class EngineMetrics {
  readonly registry = new Registry();
  private readonly unsubscribe: () => void;

  constructor(host: MetricsHost) {
    collectDefaultMetrics({ register: this.registry });
    // prom-client names these three gauges with `_total`, which Prometheus keeps for counters (`promtool check
    // metrics` fails on them); their per-type gauges (nodejs_active_handles{type} …) carry the same counts.
    for (const name of MISNAMED_DEFAULT_GAUGES) this.registry.removeSingleMetric(name);
    this.unsubscribe = host.onEvent(jobMetricsListener(this.registry));
    registerOperationsGauges(this.registry, host.workspace);
  }

  async scrape(): Promise<Exposition> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }

  close(): void {
    this.unsubscribe();
    this.registry.clear();
  }
}

const byHost = new WeakMap<MetricsHost, EngineMetrics>();

/**
 * The engine's metrics, made on first use. The engine host calls it once the engine is open, so job
 * counts start then; a scrape of an engine that never called it starts counting at that scrape.
 */
export function metricsOf(host: MetricsHost): EngineMetrics {
  let metrics = byHost.get(host);
  if (!metrics) {
    metrics = new EngineMetrics(host);
    byHost.set(host, metrics);
  }
  return metrics;
}

import { metricsOf } from '../../engine/operations/metrics/engineMetrics';
import type { metricsOps } from '../contract/ops/metrics';
import type { HandlersFor } from './handler';

export const metricsHandlers: HandlersFor<keyof typeof metricsOps> = {
  'metrics.scrape': async (_input, engine) => metricsOf(engine).scrape(),
};

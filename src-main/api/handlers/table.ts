import type { OpName } from '../contract';
import type { Handler } from './handler';
import { jobHandlers } from './jobs';
import { trainingHandlers } from './training';
import { evaluationHandlers } from './evaluation';
import { trackingHandlers } from './tracking';
import { workspaceHandlers } from './workspace';
import { dataHandlers } from './data';
import { featureHandlers } from './features';
import { validationHandlers } from './validation';
import { settingsHandlers } from './settings';
import { exportHandlers } from './export';
import { registryHandlers } from './registry';
import { sweepHandlers } from './sweeps';
import { metricsHandlers } from './metrics';
import { deployHandlers } from './deploy';
import { abHandlers } from './ab';

/**
 * Every op's implementation. Typed so a contract op without a handler fails to compile; each noun's
 * table is keyed by that noun's ops, so an op cannot get two handlers. Add a noun's table here.
 */
export const handlers: { [N in OpName]: Handler<N> } = {
  ...workspaceHandlers,
  ...jobHandlers,
  ...trainingHandlers,
  ...evaluationHandlers,
  ...trackingHandlers,
  ...dataHandlers,
  ...featureHandlers,
  ...validationHandlers,
  ...settingsHandlers,
  ...registryHandlers,
  ...exportHandlers,
  ...sweepHandlers,
  ...metricsHandlers,
  ...deployHandlers,
  ...abHandlers,
};

import type { OpName } from '../contract';
import type { Handler } from './handler';
import { jobHandlers } from './jobs';
import { mlHandlers } from './ml';
import { workspaceHandlers } from './workspace';
import { dataHandlers } from './data';
import { featureHandlers } from './features';

/**
 * Every op's implementation. Typed so a contract op without a handler fails to compile; each noun's
 * table is keyed by that noun's ops, so an op cannot get two handlers. Add a noun's table here.
 */
export const handlers: { [N in OpName]: Handler<N> } = {
  ...workspaceHandlers,
  ...jobHandlers,
  ...mlHandlers,
  ...dataHandlers,
  ...featureHandlers,
};

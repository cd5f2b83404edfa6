import { inputError } from '../../shared/errors';
import { exportMlflowJob } from '../../engine/integrations/mlflow/exportModel';
import type { exportOps } from '../contract/ops/export';
import type { HandlersFor } from './handler';

export const exportHandlers: HandlersFor<keyof typeof exportOps> = {
  'export.mlflow': async (input, engine, caller) => {
    // The engine sends this machine's MLflow credentials (MLFLOW_TRACKING_*) to the tracking server: a
    // remote caller (the browser UI of `bullpen serve`) must not be able to point them at a server of its own.
    if (caller.access === 'remote' && input.trackingUri !== undefined)
      throw inputError(
        'MLFLOW_TRACKING_URI_REMOTE',
        'the browser UI exports to the configured MLflow server only (the mlflow.trackingUri setting or MLFLOW_TRACKING_URI): leave the tracking URI out',
        { trackingUri: input.trackingUri },
      );
    return engine.startJob(exportMlflowJob, input);
  },
};

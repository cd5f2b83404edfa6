import { BullpenError, inputError } from '../../shared/errors';
import { exportMlflowJob } from '../../engine/integrations/mlflow/exportModel';
import { exportSweepJob } from '../../engine/integrations/mlflow/exportSweep';
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
    const { model, sweep, ...rest } = input;
    if (model !== undefined && sweep !== undefined)
      throw new BullpenError(
        'usage',
        'EXPORT_WHAT_AMBIGUOUS',
        'export one thing at a time: --model NAME[:VERSION] or --sweep ID, not both',
        {
          model,
          sweep,
        },
      );
    if (sweep !== undefined) {
      const { registeredName, ...where } = rest;
      if (registeredName !== undefined)
        throw new BullpenError(
          'usage',
          'EXPORT_SWEEP_REGISTERED_NAME',
          '--registered-name names a registered model, and a sweep export registers none: leave it out (or export the model trained from the sweep with --model)',
          { sweep, registeredName },
        );
      return engine.startJob(exportSweepJob, { sweep, ...where });
    }
    if (model === undefined)
      throw new BullpenError('usage', 'EXPORT_WHAT_MISSING', 'say what to export: --model NAME[:VERSION] or --sweep ID');
    return engine.startJob(exportMlflowJob, { model, ...rest });
  },
};

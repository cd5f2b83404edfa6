import { inputError } from '../../shared/errors';
import type { settingsOps } from '../contract/ops/settings';
import type { HandlersFor } from './handler';

export const settingsHandlers: HandlersFor<keyof typeof settingsOps> = {
  'settings.get': async (_input, engine) => ({ ...(await engine.settings.get()), actor: await engine.settings.actor() }),
  'settings.set': async (input, engine, caller) => {
    // MLflow credentials come from this machine's environment: a remote caller (the browser UI of `bullpen
    // serve`) must not point them at a server of its own, so it cannot change where MLflow is.
    if (caller.access === 'remote' && input.mlflow?.trackingUri !== undefined)
      throw inputError(
        'MLFLOW_TRACKING_URI_REMOTE',
        'the MLflow tracking URI can be changed only on this machine (bullpen settings set, or MLFLOW_TRACKING_URI)',
        { trackingUri: input.mlflow.trackingUri },
      );
    const current = await engine.settings.get();
    const saved = await engine.settings.set({
      ...(input.user ? { user: input.user } : {}),
      mlflow: { ...current.mlflow, ...(input.mlflow ?? {}) },
      operations: { ...current.operations, ...(input.operations ?? {}) },
    });
    return { ...saved, actor: await engine.settings.actor() };
  },
};

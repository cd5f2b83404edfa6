import type { settingsOps } from '../contract/ops/settings';
import type { HandlersFor } from './handler';

export const settingsHandlers: HandlersFor<keyof typeof settingsOps> = {
  'settings.get': async (_input, engine) => ({ ...(await engine.settings.get()), actor: await engine.settings.actor() }),
  'settings.set': async (input, engine) => {
    const current = await engine.settings.get();
    const saved = await engine.settings.set({
      ...(input.user ? { user: input.user } : {}),
      mlflow: { ...current.mlflow, ...(input.mlflow ?? {}) },
    });
    return { ...saved, actor: await engine.settings.actor() };
  },
};

import { predictJob } from '../../engine/training/predictModel';
import { trainJob } from '../../engine/training/trainModel';
import type { trainingOps } from '../contract/ops/training';
import type { HandlersFor } from './handler';

export const trainingHandlers: HandlersFor<keyof typeof trainingOps> = {
  'ml.train': async (input, engine) => engine.startJob(trainJob, input),
  'ml.predict': async (raw, engine, caller) => {
    // Paths are settled for this caller before the job starts; the job then only uses the checked ones.
    const input = {
      ...raw,
      ...(raw.input !== undefined ? { input: engine.files.readable(raw.input, caller, '--input') } : {}),
      ...(raw.out !== undefined ? { out: engine.files.writable(raw.out, caller, '--out') } : {}),
    };
    return engine.startJob(predictJob, input);
  },
  'ml.models.list': async (_input, engine) => ({ models: await engine.models.list() }),
};

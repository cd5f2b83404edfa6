import { optimizeJob } from '../../engine/sweeps/runSweep';
import {
  bestOfSweep,
  checkSpace,
  exportSweepJournal,
  listSweeps,
  showSweep,
  sweepTrainInput,
  sweepTrials,
} from '../../engine/sweeps/sweepQueries';
import { trainJob } from '../../engine/training/trainModel';
import type { sweepOps } from '../contract/ops/sweeps';
import type { HandlersFor } from './handler';

export const sweepHandlers: HandlersFor<keyof typeof sweepOps> = {
  'ml.optimize': async (raw, engine, caller) => {
    // The space file is settled for this caller before the job starts; the job reads only the checked path.
    const input = { ...raw, ...(raw.space !== undefined ? { space: engine.files.readable(raw.space, caller, '--space') } : {}) };
    return engine.startJob(optimizeJob, input);
  },
  'ml.sweeps.list': async (input, engine) => listSweeps(engine, input.limit),
  'ml.sweeps.show': async (input, engine) => showSweep(engine, input.id),
  'ml.sweeps.trials': async (input, engine) => sweepTrials(engine, input.id),
  'ml.sweeps.best': async (input, engine) => bestOfSweep(engine, input.id),
  'ml.sweeps.train': async (input, engine) => engine.startJob(trainJob, await sweepTrainInput(engine, input.id, input.name, input.trial)),
  'ml.sweeps.export': async (input, engine, caller) =>
    exportSweepJournal(engine, input.id, engine.files.writable(input.out, caller, '--out')),
  'ml.sweeps.space': async (input) => checkSpace(input.text),
};

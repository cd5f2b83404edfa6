import { backtestJob } from '../../engine/evaluation/backtest/backtestModel';
import { compareRuns } from '../../engine/evaluation/compare/compareRuns';
import { cvJob } from '../../engine/evaluation/cv/runCv';
import type { evaluationOps } from '../contract/ops/evaluation';
import type { HandlersFor } from './handler';

export const evaluationHandlers: HandlersFor<keyof typeof evaluationOps> = {
  'ml.cv': async (input, engine) => engine.startJob(cvJob, input),
  'ml.backtest': async (input, engine) => engine.startJob(backtestJob, input),
  'ml.runs.compare': async (input, engine) => compareRuns(engine.runs, input.ids),
};

import { resolve } from 'node:path';
import { dispatch } from '../../../src-main/api/handlers';
import type { Engine } from '../../../src-main/engine/engine';
import type { ErrorBody } from '../../../src-main/shared/errors';

/** Every gate passes under it. */
export const LENIENT_POLICY = resolve(__dirname, '../../fixtures/validation/lenient.yaml');
/** No model passes it (accuracy ≥ 99%): its validations fail on the accuracy gate. */
export const IMPOSSIBLE_POLICY = resolve(__dirname, '../../fixtures/registry/impossible.yaml');

/** Calls an op that must be refused, and answers with the error body every transport carries (HTTP's JSON body). */
export async function refusal(engine: Engine, op: string, input: unknown): Promise<ErrorBody['error']> {
  const r = await dispatch(engine, op, input);
  if (r.ok) throw new Error(`${op} was expected to be refused but answered ${JSON.stringify(r.output)}`);
  return r.error;
}

/**
 * Records a newer training of an existing model under its name, through the run recorder every training
 * writes with (a completed `train` run carrying the model): what a retraining leaves in the workspace.
 * The model's validations now predate its training, and versions registered before hold the old run.
 */
export async function recordRetraining(engine: Engine, name: string): Promise<string> {
  const m = await engine.models.get(name);
  const text = await engine.models.text(m);
  const id = await engine.runs.start({
    name,
    kind: 'train',
    target: m.target,
    featureSet: m.featureSet,
    featureVersions: m.featureVersions,
    params: await engine.runs.params(m.runId),
  });
  await engine.runs.finish(id, {
    metrics: [],
    artifacts: [{ name: 'model.lgb', value: text }],
    model: {
      name,
      target: m.target,
      featureSet: m.featureSet,
      featureNames: m.featureNames,
      featureVersions: m.featureVersions,
      seasons: m.seasons,
      lastTrainingDate: m.lastTrainingDate,
      bestIteration: m.bestIteration,
    },
  });
  return id;
}

import { dispatch } from '../../../src-main/api/handlers';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { Engine } from '../../../src-main/engine/engine';
import { BullpenError } from '../../../src-main/shared/errors';
import { jobResult, type Contract, type JobOpName, type OpName, type OutputOf, type ResultOf } from '../../../src-main/api/contract';
import { jobSchema, type Job } from '../../../src-main/shared/events';
import { tempWorkspace } from '../../support/waitForEvent';

/** A small synthetic league (three seasons, with odds) in a fresh workspace, and an engine on it (no automatic validation). */
export async function openMlEngine(seed = 7): Promise<{ engine: Engine; cleanup: () => Promise<void> }> {
  const tmp = await tempWorkspace();
  const engine = await Engine.open({ workspacePath: tmp.path });
  await buildDemo(engine.workspace, { seed, firstSeason: 2010, lastSeason: 2012, marketInefficiency: true, scoringShift: false });
  // These tests train models for other reasons: the validation that follows training by default is tested on its own.
  await engine.validations.setPolicy('autoValidate: false\n', 'the test policy');
  return {
    engine,
    cleanup: async () => {
      await engine.close();
      await tmp.cleanup();
    },
  };
}

/**
 * Calls an op the way every transport does, throwing the error body as a BullpenError. The input is
 * not typed (tests send bad inputs on purpose); the output is the op's, which dispatch has checked.
 */
export async function call<K extends OpName>(engine: Engine, op: K, input: unknown): Promise<OutputOf<Contract[K]>> {
  const r = await dispatch(engine, op, input);
  if (!r.ok) throw BullpenError.fromBody({ error: r.error });
  return r.output as OutputOf<Contract[K]>;
}

/** Starts a job op and waits for its final state. */
export async function runJob(engine: Engine, op: JobOpName, input: unknown): Promise<Job> {
  const job = jobSchema.parse(await call(engine, op, input));
  return engine.jobs.settled(job.id);
}

/** Runs a job op to its end and answers with its result, typed by the op (throws unless it completed). */
export async function runJobResult<K extends JobOpName>(engine: Engine, op: K, input: unknown): Promise<ResultOf<Contract[K]>> {
  return jobResult(await runJob(engine, op, input), op);
}

/** Few rounds keep the suite fast on two cores; the evidence run in bench/ uses the real settings. */
export const FAST = { numBoostRound: 40, earlyStoppingRounds: 10, params: { learning_rate: 0.1, min_data_in_leaf: 50 } };

import type { Target } from '../../../shared/vocabulary';
import type { RetrainRecord } from '../../../shared/results/retraining';
import { DEFAULT_SEARCH_SPACE } from '../../../shared/sweep/distributions';
import type { EngineDeps } from '../../engineDeps';
import type { JobContext } from '../../jobs/jobContext';
import type { LgbParams } from '../../modeling/defaultParams';
import { mergeLightgbmParams } from '../../sweeps/lightgbmParameters';
import { runSweep } from '../../sweeps/runSweep';
import { DEFAULT_SWEEP_CV } from '../../sweeps/sweepSetup';
import { warmStartSpace } from '../../sweeps/warmStart';
import type { StoredModel } from '../../tracking/modelService';
import { SWEEP_TRIALS_TAG } from '../../validation/validateModel';

export interface RetrainSweepSpec {
  champion: StoredModel;
  /** The champion's resolved LightGBM parameters: trial 0, and what every trial keeps that the space does not search. */
  params: LgbParams;
  trials: number;
  /** The comparison window's first day: the sweep's CV sees only games before it. */
  before: string;
  /** The policy's training window as seasons (lastSeasons), or every season. */
  seasons: string | undefined;
  seed: number;
  numBoostRound: number;
  earlyStoppingRounds: number;
  name: string;
  step: (name: string, fraction: number, message: string) => Promise<void>;
  ctx: JobContext;
}

/** Tags that make validation deflate the model's Sharpe for the trials it was chosen from, and point at its sweep. */
export function sweepTagsOf(sweep: NonNullable<RetrainRecord['sweep']>): Record<string, string> {
  return { [SWEEP_TRIALS_TAG]: String(sweep.completed + sweep.pruned), 'sweep.id': sweep.sweepId };
}

/**
 * The pipeline's optional sweep (policy `sweepTrials`): a short TPE sweep of the default space, warm-started
 * from the champion's parameters (trial 0 is the champion's recipe), with walk-forward CV on the
 * challenger's own data — games before the comparison window only, so the comparison stays out of sample
 * for the parameters too. The challenger then trains with the best trial's parameters. The sweep is an
 * ordinary sweep of the workspace (`ml sweeps show NAME`), every trial a child run.
 */
export async function warmStartedSweep(
  deps: EngineDeps,
  r: RetrainRecord,
  spec: RetrainSweepSpec,
): Promise<{ params: LgbParams; tags: Record<string, string> }> {
  await spec.step(
    'sweep',
    0.15,
    `sweeping ${spec.trials} trials warm-started from ${spec.champion.name}'s parameters on games before ${spec.before}`,
  );
  const warm = warmStartSpace(DEFAULT_SEARCH_SPACE, spec.params);
  const out = await runSweep(
    deps,
    {
      ...DEFAULT_SWEEP_CV,
      target: spec.champion.target as Target,
      features: spec.champion.featureSet,
      trials: spec.trials,
      sampler: 'tpe',
      objectives: 'logLoss',
      pruner: 'median',
      ...(spec.seasons ? { seasons: spec.seasons } : {}),
      seed: spec.seed,
      numBoostRound: spec.numBoostRound,
      earlyStoppingRounds: spec.earlyStoppingRounds,
      name: spec.name,
      before: spec.before,
      warmStart: warm,
    },
    spec.ctx,
  );
  const trials = await deps.sweeps.trials(out.sweepId);
  const first = trials.find((t) => t.number === 0);
  r.sweep = {
    sweepId: out.sweepId,
    name: out.name,
    before: spec.before,
    trials: out.trials,
    completed: out.completed,
    pruned: out.pruned,
    warmStart: first?.state === 'complete' && first.values ? first.values[0] : null,
    best: out.best ? { trialNumber: out.best.trialNumber, logLoss: out.best.values[0] ?? null, params: out.best.params } : null,
  };
  await deps.retraining.save(r);
  spec.ctx.log(
    out.best
      ? `sweep ${out.name}: best trial ${out.best.trialNumber} (CV log loss ${out.best.values[0]?.toFixed(5)}) against the warm start's ${r.sweep.warmStart?.toFixed(5) ?? 'n/a'}`
      : `sweep ${out.name}: no complete trial; the challenger keeps the champion's parameters`,
  );
  return {
    params: out.best ? (mergeLightgbmParams(spec.params, out.best.params) as LgbParams) : spec.params,
    tags: sweepTagsOf(r.sweep),
  };
}

import { paramActive, type SearchParam, type TrialParams } from '../../../../src-main/shared/sweep/distributions';
import type { Direction } from '../../../../src-main/shared/sweep/trials';
import { createRng, type Rng } from '../../stats/rng';
import { isSingle, singleValue, toExternal, toInternal } from '../paramValues';
import { sampleSpaceUniform } from '../randomSampler';
import type { SampleContext, Sampler } from '../sampler';
import { trialSeed } from '../seeds';
import type { KernelOptions } from './kernels';
import { ParzenEstimator } from './parzenEstimator';
import { splitTrials, type Observed } from './split';

export interface TpeOptions extends KernelOptions {
  /** Trials sampled at random before TPE starts (counting complete and pruned ones, as Optuna). */
  nStartupTrials: number;
  /** Candidates drawn from l(x), of which the one with the largest l(x)/g(x) is taken. */
  nEiCandidates: number;
  /**
   * Sample the space's unconditional parameters jointly. Null: Optuna 5's default, joint with one
   * objective and independent with several.
   */
  multivariate: boolean | null;
  constantLiar: boolean;
  /**
   * Direction of the intermediate values that rank pruned trials. Optuna uses the study's direction;
   * Bullpen's intermediate values are always a validation log loss, so minimize whatever the objectives.
   */
  intermediateDirection: Direction;
}

/** Optuna 5.0's TPESampler defaults. */
export const DEFAULT_TPE_OPTIONS: TpeOptions = {
  nStartupTrials: 10,
  nEiCandidates: 24,
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  multivariate: null,
  constantLiar: true,
  intermediateDirection: 'minimize',
};

/**
 * Optuna's TPESampler (5.0 semantics). After `nStartupTrials` random trials, finished trials are split
 * into the best gamma(n) ("below") and the rest ("above", with pending trials under the constant liar);
 * a Parzen estimator l(x) is fitted to the first and g(x) to the second, `nEiCandidates` points are drawn
 * from l and the one maximizing log l − log g is taken.
 *
 * Multivariate (the default with one objective): the unconditional parameters are one joint estimator;
 * each conditional parameter is sampled on its own from the trials where it was active, as Optuna falls
 * back to independent sampling for parameters outside the intersection search space (group=False). With
 * several objectives (MOTPE) the split is by non-dominated rank with hypervolume tie-breaking, and the
 * below group's weights are uniform, as Optuna 5.0 does.
 */
export class TpeSampler implements Sampler {
  readonly name = 'tpe';
  readonly options: TpeOptions;

  constructor(options: Partial<TpeOptions> = {}) {
    this.options = { ...DEFAULT_TPE_OPTIONS, ...options };
  }

  sample(ctx: SampleContext): TrialParams {
    const rng = createRng(trialSeed(ctx.seed, ctx.trialNumber));
    const split = splitTrials(ctx.history, ctx.pending, ctx.directions, this.options);
    if (split.n < this.options.nStartupTrials) return sampleSpaceUniform(ctx.space, rng);

    const multiObjective = ctx.directions.length > 1;
    const multivariate = this.options.multivariate ?? !multiObjective;
    const drawn: TrialParams = {};
    if (multivariate) {
      const joint = ctx.space.params.filter((p) => !p.when && !isSingle(p.distribution));
      if (joint.length > 0) Object.assign(drawn, this.sampleGroup(joint, split.below, split.above, multiObjective, rng));
    }
    for (const p of ctx.space.params) {
      if (p.name in drawn || !paramActive(p, drawn)) continue;
      drawn[p.name] = isSingle(p.distribution)
        ? singleValue(p.distribution)
        : this.sampleGroup([p], split.below, split.above, multiObjective, rng)[p.name];
    }
    // The space's order, which the trial's stored parameters follow.
    const params: TrialParams = {};
    for (const p of ctx.space.params) if (p.name in drawn) params[p.name] = drawn[p.name];
    return params;
  }

  /** Draws a group of parameters from l(x)/g(x) fitted on the trials that have all of them. */
  private sampleGroup(group: readonly SearchParam[], below: Observed[], above: Observed[], multiObjective: boolean, rng: Rng): TrialParams {
    const dists = group.map((p) => p.distribution);
    const rows = (trials: Observed[]): number[][] =>
      trials.flatMap((t) => {
        const row = group.map((p) => toInternal(p.distribution, t.params[p.name]));
        return row.every((v) => v !== null) ? [row as number[]] : [];
      });
    const belowRows = rows(below);
    const aboveRows = rows(above);
    const l = new ParzenEstimator(belowRows, dists, this.options, multiObjective ? belowRows.map(() => 1) : undefined);
    const g = new ParzenEstimator(aboveRows, dists, this.options);
    const candidates = l.sample(rng, this.options.nEiCandidates);
    let best = candidates[0];
    let bestScore = -Infinity;
    for (const c of candidates) {
      const score = l.logPdf(c) - g.logPdf(c);
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    const out: TrialParams = {};
    group.forEach((p, j) => (out[p.name] = toExternal(p.distribution, best[j])));
    return out;
  }
}

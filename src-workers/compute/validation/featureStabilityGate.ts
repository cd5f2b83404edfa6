import { sampleRankCorrelation } from 'simple-statistics';
import { inputError } from '../../../src-main/shared/errors';
import type { GateResult, ValidationCharts } from '../../../src-main/shared/results/validation';
import type { ValidationPolicy } from '../../../src-main/shared/validationPolicy';
import type { ValidationEvidence } from './evidence';
import { decimal, whole } from './format';
import { gateResult, unmeasured } from './gateResult';

/**
 * Feature-importance stability across CV folds. The gated value is the mean Spearman rank correlation of the
 * features' gain importances over every pair of folds (all features, ties at mid-ranks, simple-statistics'
 * sampleRankCorrelation); a pair whose correlation is undefined (a fold where every gain is equal, e.g. a
 * fold that grew no split) counts as 0, no agreement shown.
 *
 * Beside it, and not gated: the share of the top-k features (by mean gain share across folds) that are in
 * the top k of every fold. With near-duplicate features (rolling windows of one statistic) which twin enters
 * a fold's top k flips without the model changing, so the share punishes redundancy as much as instability;
 * the policy has one threshold, for the rank correlation, which already measures how the ordering holds.
 * A feature is in a fold's top k when its gain there is positive and fewer than k features have a larger gain
 * (ties at the boundary are all in).
 */

export type ImportanceChart = ValidationCharts['importanceStability'];
type Importance = NonNullable<ValidationEvidence['importance']>;

/** Mean Spearman correlation over fold pairs; `undefinedPairs` counted as 0. */
export function meanPairwiseSpearman(foldGains: readonly (readonly number[])[]): { mean: number; pairs: number; undefinedPairs: number } {
  let sum = 0;
  let pairs = 0;
  let undefinedPairs = 0;
  for (let a = 0; a < foldGains.length; a++) {
    for (let b = a + 1; b < foldGains.length; b++) {
      const rho = sampleRankCorrelation(foldGains[a], foldGains[b]);
      pairs++;
      if (Number.isFinite(rho)) sum += rho;
      else undefinedPairs++;
    }
  }
  return { mean: pairs ? sum / pairs : Number.NaN, pairs, undefinedPairs };
}

/** Competition rank of each feature's gain in one fold: 1 + the number of features with a strictly larger gain. */
export function gainRanks(gains: readonly number[]): number[] {
  return gains.map((g) => 1 + gains.filter((o) => o > g).length);
}

/** Feature indices ordered by mean gain share across folds (each fold's gains divided by its total), most important first; ties keep feature order. */
export function byMeanGainShare(foldGains: readonly (readonly number[])[], features: number): number[] {
  const mean = new Float64Array(features);
  for (const fold of foldGains) {
    const total = fold.reduce((a, b) => a + b, 0);
    if (total > 0) for (let j = 0; j < features; j++) mean[j] += fold[j] / total / foldGains.length;
  }
  return Array.from({ length: features }, (_v, j) => j).sort((a, b) => mean[b] - mean[a] || a - b);
}

function checkImportance(imp: Importance): void {
  for (const [f, fold] of imp.foldGains.entries()) {
    if (fold.length !== imp.features.length)
      throw inputError('VALIDATION_EVIDENCE', `fold ${f} has ${fold.length} gains for ${imp.features.length} features`, { fold: f });
  }
}

/** The gate and the chart of the top-k features' ranks per fold (ranksByFold[fold][i] is the rank of features[i] in that fold). */
export function featureStabilityGate(
  importance: ValidationEvidence['importance'],
  policy: ValidationPolicy['gates']['featureStability'],
): { gate: GateResult; chart: ImportanceChart } {
  const empty: ImportanceChart = { features: [], ranksByFold: [] };
  const needCv = 'it needs the gain importances of a CV with at least 2 folds';
  if (!importance) return { gate: unmeasured('featureStability', policy.min, needCv), chart: empty };
  checkImportance(importance);
  const { features, foldGains } = importance;
  const folds = foldGains.length;
  if (folds < 2) return { gate: unmeasured('featureStability', policy.min, `${needCv}, got ${folds}`, { folds }), chart: empty };
  if (features.length < 2)
    return {
      gate: unmeasured('featureStability', policy.min, `a rank correlation needs at least 2 features, got ${features.length}`),
      chart: empty,
    };

  const k = Math.min(policy.topK, features.length);
  const top = byMeanGainShare(foldGains, features.length).slice(0, k);
  const ranks = foldGains.map(gainRanks);
  const inEveryFold = top.filter((j) => foldGains.every((fold, f) => fold[j] > 0 && ranks[f][j] <= k));
  const share = inEveryFold.length / k;
  const rho = meanPairwiseSpearman(foldGains);
  const passed = rho.mean >= policy.min;
  const undefinedNote = rho.undefinedPairs ? ` (${rho.undefinedPairs} of ${rho.pairs} fold pairs had all-equal gains and count as 0)` : '';
  const gate = gateResult(
    'featureStability',
    rho.mean,
    policy.min,
    passed,
    `Gain-importance ranks across ${folds} CV folds: mean pairwise Spearman ${decimal(rho.mean, 2)}${undefinedNote} is ${passed ? 'at least' : 'below'} ` +
      `${decimal(policy.min, 2)} (${passed ? 'stable' : 'the model leans on different features fold to fold'}); ${whole(inEveryFold.length)} of the top ${whole(k)} features ${inEveryFold.length === 1 ? 'is' : 'are'} in every fold's top ${whole(k)} (reported, not gated)`,
    {
      folds,
      pairs: rho.pairs,
      undefinedPairs: rho.undefinedPairs,
      topK: k,
      topKShare: share,
      stableFeatures: inEveryFold.map((j) => features[j]),
      unstableFeatures: top.filter((j) => !inEveryFold.includes(j)).map((j) => features[j]),
    },
  );
  return { gate, chart: { features: top.map((j) => features[j]), ranksByFold: ranks.map((r) => top.map((j) => r[j])) } };
}

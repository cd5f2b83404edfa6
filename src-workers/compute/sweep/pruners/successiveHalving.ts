import type { Direction, FrozenTrial } from '../../../../src-main/shared/sweep/trials';
import type { Pruner, PruneContext } from '../pruner';
import { describeStep, foldOf, formatPair, isFoldEnd } from './steps';

export interface SuccessiveHalvingOptions {
  /** Folds a trial always completes before its first rung (Optuna's min_resource, r). */
  minResource: number;
  /** η: about 1/η of the trials at a rung go on to the next. */
  reductionFactor: number;
  /** s: the first rung is at minResource × η^s. */
  minEarlyStoppingRate: number;
}

/** Folds completed at the k-th rung: minResource × η^(s + k). */
export const rungResource = (o: SuccessiveHalvingOptions, rung: number): number =>
  o.minResource * o.reductionFactor ** (o.minEarlyStoppingRate + rung);

/**
 * Asynchronous successive halving as Optuna's SuccessiveHalvingPruner, with folds completed as the
 * resource: only fold-end steps are judged (fold F's end is resource F + 1). When a trial reaches a
 * rung it goes on only if its value is within the top 1/η of the values recorded at that rung by the
 * reference trials and itself; with fewer than η values it must be the best of them (Optuna cannot
 * suspend a trial to wait for more, nor can this).
 *
 * Optuna records each trial's value at a rung as a system attribute when the pruner judges it. A
 * FrozenTrial here has no such attributes, but reports every fold end, so a reference trial's rung
 * value is its value at the first fold end at or past the rung's resource — the value Optuna would
 * have recorded — and this trial's own rungs passed so far are those its earlier fold ends reached
 * (a trial still running passed every rung it reached). Optuna's bootstrap_count is 0 here.
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly name = 'successive-halving';

  constructor(
    private readonly o: SuccessiveHalvingOptions,
    private readonly label = 'successive halving',
  ) {}

  shouldPrune(ctx: PruneContext): string | null {
    if (!isFoldEnd(ctx.step)) return null;
    const resource = foldOf(ctx.step) + 1;
    let rung = 0;
    for (const p of ctx.own) {
      if (p.step >= ctx.step || !isFoldEnd(p.step)) continue;
      while (foldOf(p.step) + 1 >= rungResource(this.o, rung)) rung++;
    }
    for (; resource >= rungResource(this.o, rung); rung++) {
      if (Number.isNaN(ctx.value)) return `${this.label}: the value at ${describeStep(ctx.step)} is NaN`;
      const competing = [...rungValues(ctx.reference, rungResource(this.o, rung)), ctx.value];
      const cut = promotionCut(competing, this.o.reductionFactor, ctx.direction);
      const promoted = ctx.direction === 'minimize' ? ctx.value <= cut : ctx.value >= cut;
      if (!promoted) {
        const [v, c] = formatPair(ctx.value, cut);
        const folds = rungResource(this.o, rung);
        return (
          `${this.label}: ${v} at ${describeStep(ctx.step)} (rung ${rung}, ${folds} fold${folds === 1 ? '' : 's'}) is not in the top ` +
          `1/${this.o.reductionFactor} of the ${competing.length} trials at that rung (it needed ${ctx.direction === 'minimize' ? '≤' : '≥'} ${c})`
        );
      }
    }
    return null;
  }
}

/** Each reference trial's value at the first fold end at or past `resource` folds (its value at that rung). */
function rungValues(trials: readonly FrozenTrial[], resource: number): number[] {
  const out: number[] = [];
  for (const t of trials) {
    let at: { fold: number; value: number } | null = null;
    for (const p of t.intermediate) {
      if (!isFoldEnd(p.step)) continue;
      const fold = foldOf(p.step);
      if (fold + 1 >= resource && (at === null || fold < at.fold)) at = { fold, value: p.value };
    }
    if (at !== null && !Number.isNaN(at.value)) out.push(at.value);
  }
  return out;
}

/**
 * The worst value still promoted: the (⌊n/η⌋)-th best of the n competing values, or the best when
 * n < η (Optuna's `_is_trial_promotable_to_next_rung`).
 */
export function promotionCut(competing: readonly number[], reductionFactor: number, direction: Direction): number {
  const sorted = [...competing].sort((a, b) => a - b);
  const idx = Math.max(Math.floor(sorted.length / reductionFactor) - 1, 0);
  return direction === 'minimize' ? sorted[idx] : sorted[sorted.length - 1 - idx];
}

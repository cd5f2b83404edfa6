import { checkDatasetParams, Dataset, trainWithResult, type Params } from '@bullpen/lightgbm';
import type { PrunerSpec } from '../../../src-main/shared/sweep/pruning';
import { foldEndStep, intermediateStep, type FrozenTrial, type IntermediatePoint } from '../../../src-main/shared/sweep/trials';
import type { TrialParams } from '../../../src-main/shared/sweep/distributions';
import { innerHoldout, pickRows, pickValues, type FoldRows } from '../boosting';
import { logLoss } from '../metrics';
import type { Pruner } from './pruner';
import { makePruner } from './pruners';

/** Inner validation loss is reported (and judged by the pruner) every this many boosting iterations. */
export const REPORT_EVERY = 10;

export interface SessionSetup {
  x: Float64Array;
  y: Float64Array;
  rows: number;
  cols: number;
  featureNames: string[];
  folds: FoldRows[];
  /** Parameters every trial starts from (objective, metric, determinism, feature_pre_filter=false, seed). */
  baseParams: Record<string, string | number | boolean>;
  numBoostRound: number;
  earlyStoppingRounds: number;
  innerValidFraction: number;
  numThreads: number;
  pruner: PrunerSpec;
  seed: number;
}

export interface TrialRequest {
  number: number;
  params: TrialParams;
  /** Finished trials the pruner compares with (the ones the trial's sampler saw). */
  reference: FrozenTrial[];
  /** Stop the trial (state fail, reason timeout) past this many milliseconds; null: no limit. */
  maxTrialMs: number | null;
  /** The default-parameters baseline is never pruned. */
  prunable: boolean;
}

export interface TrialOutcome {
  number: number;
  state: 'complete' | 'pruned' | 'fail';
  /** Test log loss per finished fold. */
  foldLogLoss: number[];
  /** Out-of-fold predictions per finished fold, aligned with the fold's test rows. */
  foldPredictions: Float64Array[];
  bestIterations: number[];
  prunedAt: number | null;
  reason: string | null;
  iterations: number;
  durationMs: number;
  datasetRebuilt: boolean;
}

interface FoldSets {
  train: Dataset;
  valid: Dataset;
}

/**
 * One worker's side of a sweep: the matrix binned once into a LightGBM Dataset, each fold's training and
 * early-stopping rows cut from it once by subset, and every trial boosted on those same Datasets. A
 * trial whose parameters change the binning (checkDatasetParams says so) rebuilds them; the sweep sets
 * feature_pre_filter=false so min_child_samples never does.
 */
export class TrialSession {
  private whole: Dataset | null = null;
  private readonly foldSets = new Map<number, FoldSets>();
  private readonly pruner: Pruner;
  builds = 0;
  reuses = 0;

  constructor(private readonly s: SessionSetup) {
    this.pruner = makePruner(s.pruner, s.folds.length);
  }

  private datasets(params: Params): { rebuilt: boolean } {
    if (this.whole && checkDatasetParams(this.whole.params, params).compatible) {
      this.reuses++;
      return { rebuilt: false };
    }
    this.free();
    this.whole = Dataset.fromMatrix(this.s.x, {
      rows: this.s.rows,
      cols: this.s.cols,
      label: this.s.y,
      featureNames: this.s.featureNames,
      params,
    });
    this.builds++;
    return { rebuilt: true };
  }

  private sets(fold: FoldRows): FoldSets {
    const cached = this.foldSets.get(fold.index);
    if (cached) return cached;
    const whole = this.whole;
    if (!whole) throw new Error('the session has no Dataset');
    const holdout = Math.max(1, Math.floor(fold.train.length * this.s.innerValidFraction));
    const { fitRows, innerRows } = innerHoldout(fold, holdout);
    const sets = { train: whole.subset(fitRows), valid: whole.subset(innerRows) };
    this.foldSets.set(fold.index, sets);
    return sets;
  }

  /**
   * Runs one trial fold by fold, reporting intermediate values as they come (`report`) and asking the
   * pruner at each reported step with the reference trials the engine sent. `checkCancelled` throws to
   * abandon the trial (the sweep was cancelled); it is called between boosting iterations only.
   */
  async run(req: TrialRequest, report: (points: IntermediatePoint[]) => void, checkCancelled: () => void): Promise<TrialOutcome> {
    const started = Date.now();
    const params: Params = { ...this.s.baseParams, ...req.params, num_threads: this.s.numThreads };
    const { rebuilt } = this.datasets(params);
    const own: IntermediatePoint[] = [];
    const out: TrialOutcome = {
      number: req.number,
      state: 'complete',
      foldLogLoss: [],
      foldPredictions: [],
      bestIterations: [],
      prunedAt: null,
      reason: null,
      iterations: 0,
      durationMs: 0,
      datasetRebuilt: rebuilt,
    };
    const judge = (step: number, value: number): string | null => {
      if (!req.prunable) return null;
      return this.pruner.shouldPrune({
        trialNumber: req.number,
        direction: 'minimize',
        step,
        value,
        own,
        reference: req.reference,
        seed: this.s.seed,
      });
    };
    for (const [f, fold] of this.s.folds.entries()) {
      const { train, valid } = this.sets(fold);
      const pending: IntermediatePoint[] = [];
      let stop: { state: 'pruned' | 'fail'; step: number | null; reason: string } | null = null;
      const result = await trainWithResult(params, train, {
        numBoostRound: this.s.numBoostRound,
        validSets: [valid],
        validNames: ['valid'],
        earlyStoppingRounds: this.s.earlyStoppingRounds,
        firstMetricOnly: true,
        callbacks: [
          (info) => {
            checkCancelled();
            out.iterations++;
            if (req.maxTrialMs !== null && Date.now() - started > req.maxTrialMs) {
              stop = {
                state: 'fail',
                step: null,
                reason: `timeout: over --max-trial-seconds ${req.maxTrialMs / 1000} (fold ${f + 1}, iteration ${info.iteration})`,
              };
              return 'stop';
            }
            if (info.iteration % REPORT_EVERY !== 0) return undefined;
            const value = info.evaluations[0]?.value;
            if (value === undefined || !Number.isFinite(value)) return undefined;
            const point = { step: intermediateStep(f, info.iteration), value };
            own.push(point);
            pending.push(point);
            const why = judge(point.step, value);
            if (why) {
              stop = { state: 'pruned', step: point.step, reason: why };
              return 'stop';
            }
            return undefined;
          },
        ],
      });
      try {
        const halted = stop as { state: 'pruned' | 'fail'; step: number | null; reason: string } | null;
        if (halted) {
          report(pending);
          out.state = halted.state;
          out.prunedAt = halted.step;
          out.reason = halted.reason;
          break;
        }
        const pred = result.booster.predict(pickRows(this.s.x, this.s.cols, fold.test), { rows: fold.test.length, cols: this.s.cols });
        const loss = logLoss(pickValues(this.s.y, fold.test), pred);
        out.foldLogLoss.push(loss);
        out.foldPredictions.push(pred);
        out.bestIterations.push(result.bestIteration);
        const mean = out.foldLogLoss.reduce((a, b) => a + b, 0) / out.foldLogLoss.length;
        const end = { step: foldEndStep(f), value: mean };
        own.push(end);
        pending.push(end);
        report(pending);
        // The last fold's end is the trial's value: nothing left to save by stopping there.
        const why = f < this.s.folds.length - 1 ? judge(end.step, mean) : null;
        if (why) {
          out.state = 'pruned';
          out.prunedAt = end.step;
          out.reason = why;
          break;
        }
      } finally {
        result.booster.free();
      }
    }
    out.durationMs = Date.now() - started;
    return out;
  }

  free(): void {
    for (const s of this.foldSets.values()) {
      s.valid.free();
      s.train.free();
    }
    this.foldSets.clear();
    this.whole?.free();
    this.whole = null;
  }
}

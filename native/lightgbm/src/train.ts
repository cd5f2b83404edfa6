// train(): the training loop in JavaScript around updateOneIter, like lightgbm.train in Python, so
// callers get per-iteration evaluation, progress callbacks, early stopping and cancellation.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Booster, type EvalResult } from './booster';
import { Dataset } from './dataset';
import type { Params } from './params';

export interface IterationInfo {
  /** Iterations completed so far (1-based). */
  iteration: number;
  numBoostRound: number;
  /** Metrics on the validation sets (and the training set when it is one of them). */
  evaluations: EvalResult[];
  booster: Booster;
}

/** Called after every iteration; returning 'stop' ends training there. */
export type TrainCallback = (info: IterationInfo) => void | 'stop';

export interface TrainOptions {
  numBoostRound?: number;
  validSets?: readonly Dataset[];
  validNames?: readonly string[];
  /** Stop when no validation metric improved for this many iterations; the best one is kept. */
  earlyStoppingRounds?: number;
  /** Early stopping watches only the first metric. */
  firstMetricOnly?: boolean;
  /** Minimum improvement that counts for early stopping. */
  minDelta?: number;
  callbacks?: readonly TrainCallback[];
  /** Checked between iterations; an aborted signal frees the booster and rejects with its reason. */
  signal?: AbortSignal;
}

export interface TrainResult {
  booster: Booster;
  bestIteration: number;
  /** Metrics at the best iteration (or the last one without early stopping). */
  bestScore: EvalResult[];
}

const DEFAULT_ROUNDS = 100;

/**
 * Trains a booster for numBoostRound iterations, yielding to the event loop between iterations so an
 * AbortSignal can cancel it. With earlyStoppingRounds the booster keeps every tree and bestIteration
 * makes predict() and saveModel() use the best prefix, as in LightGBM's Python package.
 */
export async function train(params: Params, trainSet: Dataset, options: TrainOptions = {}): Promise<Booster> {
  return (await trainWithResult(params, trainSet, options)).booster;
}

export async function trainWithResult(params: Params, trainSet: Dataset, options: TrainOptions = {}): Promise<TrainResult> {
  const numBoostRound = options.numBoostRound ?? DEFAULT_ROUNDS;
  if (!Number.isInteger(numBoostRound) || numBoostRound < 1) {
    throw new RangeError(`numBoostRound must be a positive integer, got ${numBoostRound}`);
  }
  const validSets = options.validSets ?? [];
  const validNames = options.validNames ?? validSets.map((_, i) => `valid_${i}`);
  if (validNames.length !== validSets.length) throw new RangeError('validNames must name every validation set');
  if (validNames.some((n) => typeof n !== 'string' || n.length === 0)) throw new TypeError('validNames must be non-empty strings');
  if ((options.callbacks ?? []).some((c) => typeof c !== 'function')) throw new TypeError('callbacks must be functions');
  if (options.signal !== undefined && typeof (options.signal as Partial<AbortSignal> | null)?.throwIfAborted !== 'function')
    throw new TypeError('signal must be an AbortSignal');
  const stopping = options.earlyStoppingRounds;
  if (stopping !== undefined && (!Number.isInteger(stopping) || stopping < 1)) {
    throw new RangeError(`earlyStoppingRounds must be a positive integer, got ${stopping}`);
  }
  options.signal?.throwIfAborted();

  const booster = new Booster(params, trainSet);
  try {
    // Data indices to report: the training set when passed as a validation set (evaluated as index 0).
    const watched: { index: number; name: string }[] = [];
    validSets.forEach((set, i) => {
      if (set === trainSet) watched.push({ index: 0, name: validNames[i] });
      else watched.push({ index: booster.addValidData(set, validNames[i]), name: validNames[i] });
    });
    // The training set may be watched under any name; like Python, it never drives early stopping.
    const trainNames = new Set(watched.filter((w) => w.index === 0).map((w) => w.name));
    const tracker =
      stopping === undefined ? undefined : new EarlyStopping(stopping, options.firstMetricOnly ?? false, options.minDelta ?? 0, trainNames);
    let last: EvalResult[] = [];
    for (let iteration = 1; iteration <= numBoostRound; iteration++) {
      options.signal?.throwIfAborted();
      const finished = booster.updateOneIter();
      last = evaluate(booster, watched);
      let stop = finished;
      for (const callback of options.callbacks ?? []) {
        if (callback({ iteration, numBoostRound, evaluations: last, booster }) === 'stop') stop = true;
      }
      if (tracker?.update(iteration, last, stop || iteration === numBoostRound)) {
        booster.bestIteration = tracker.bestIteration;
        return { booster, bestIteration: tracker.bestIteration, bestScore: tracker.bestScore };
      }
      if (stop) break;
      await yieldToEventLoop();
    }
    return { booster, bestIteration: booster.currentIteration(), bestScore: last };
  } catch (error) {
    booster.free();
    throw error;
  }
}

function evaluate(booster: Booster, watched: readonly { index: number; name: string }[]): EvalResult[] {
  if (watched.length === 0) return [];
  const metrics = booster.evalNames();
  const results: EvalResult[] = [];
  for (const { index, name } of watched) {
    const values = booster.eval(index);
    metrics.forEach((metric, i) =>
      results.push({
        dataName: name,
        metric,
        value: values[i],
        higherBetter: /^(auc|ndcg|map|average_precision|auc_mu)(@|$)/.test(metric),
      }),
    );
  }
  return results;
}

/**
 * Python's early_stopping callback: each watched metric keeps its best value; training stops when one
 * has not improved for `rounds` iterations, and the best iteration is that metric's. At the last
 * iteration the first watched metric decides. Training-set metrics never drive it.
 */
class EarlyStopping {
  bestIteration = 0;
  bestScore: EvalResult[] = [];
  private readonly best = new Map<number, { value: number; at: number; score: EvalResult[] }>();

  constructor(
    private readonly rounds: number,
    private readonly firstMetricOnly: boolean,
    private readonly minDelta: number,
    private readonly trainNames: ReadonlySet<string>,
  ) {}

  /** Records an iteration's metrics; true when training should stop (bestIteration is then set). */
  update(iteration: number, results: readonly EvalResult[], isLast: boolean): boolean {
    const watch = results
      .map((r, i) => ({ r, i }))
      .filter(
        ({ r }) =>
          r.dataName !== 'training' && !this.trainNames.has(r.dataName) && (!this.firstMetricOnly || r.metric === results[0].metric),
      );
    if (watch.length === 0) throw new Error('early stopping needs a validation set other than the training data, with a metric');
    for (const { r, i } of watch) {
      const best = this.best.get(i);
      const improved = best === undefined || (r.higherBetter ? r.value > best.value + this.minDelta : r.value < best.value - this.minDelta);
      const current = improved || best === undefined ? { value: r.value, at: iteration, score: [...results] } : best;
      this.best.set(i, current);
      if (iteration - current.at >= this.rounds || isLast) {
        this.bestIteration = current.at;
        this.bestScore = current.score;
        return true;
      }
    }
    return false;
  }
}

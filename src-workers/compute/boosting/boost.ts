import { type Booster, type Dataset, type Params, trainWithResult } from '@bullpen/lightgbm';
import type { BoostingOptions } from './options';
import type { Steps } from './steps';

/** One metric's values per boosting iteration on one data set. */
export interface Curve {
  name: string;
  values: Float64Array;
}

/**
 * Boosts one model, reporting every iteration and stopping between iterations when the work is
 * cancelled (never mid-native-call). Training metrics are recorded too so the curves show the gap
 * between training and validation loss.
 */
export async function boost(
  opts: BoostingOptions,
  trainSet: Dataset,
  validSet: Dataset | null,
  steps: Pick<Steps, 'throwIfCancelled'>,
  onIteration: (iteration: number, total: number, validLoss: number | null) => void,
): Promise<{ booster: Booster; bestIteration: number; curves: Curve[] }> {
  const params: Params = { ...opts.params, num_threads: opts.numThreads };
  const sets = validSet ? [trainSet, validSet] : [trainSet];
  const names = validSet ? ['train', 'valid'] : ['train'];
  const values = new Map<string, number[]>();
  const result = await trainWithResult(params, trainSet, {
    numBoostRound: opts.numBoostRound,
    validSets: sets,
    validNames: names,
    ...(validSet && opts.earlyStoppingRounds ? { earlyStoppingRounds: opts.earlyStoppingRounds, firstMetricOnly: true } : {}),
    callbacks: [
      (info) => {
        steps.throwIfCancelled();
        let validLoss: number | null = null;
        for (const e of info.evaluations) {
          const key = `${e.dataName}.${e.metric}`;
          let list = values.get(key);
          if (!list) values.set(key, (list = []));
          list.push(e.value);
          if (e.dataName === 'valid' && validLoss === null) validLoss = e.value;
        }
        onIteration(info.iteration, info.numBoostRound, validLoss);
      },
    ],
  });
  const curves = [...values.entries()].map(([name, v]) => ({ name, values: Float64Array.from(v) }));
  return { booster: result.booster, bestIteration: result.bestIteration, curves };
}

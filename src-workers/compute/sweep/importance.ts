import { Dataset, trainWithResult, type Params } from '@bullpen/lightgbm';
import type { SearchSpace, TrialParams } from '../../../src-main/shared/sweep/distributions';
import { createRng } from '../stats/rng';

/** Below this many complete trials a surrogate says nothing worth showing: no importance at all. */
export const MIN_IMPORTANCE_TRIALS = 8;
const REPEATS = 5;
const ROUNDS = 200;

export interface ImportanceTrial {
  params: TrialParams;
  /** The trial's first objective. */
  value: number;
}

export interface ParamImportance {
  param: string;
  /** Share of the surrogate's error increase when the parameter is shuffled; the shares sum to 1. */
  importance: number;
}

/**
 * Small data, small trees: a few dozen trials must still split (LightGBM's defaults want 20 rows per
 * leaf and 100 per category), and one thread, since the importance runs once at a sweep's end. Of a
 * few settings tried on synthetic objectives with 8–40 trials (30 seeds each; random forest mode, extra
 * trees, larger leaves), many small slow trees ranked the parameter the objective depended on first
 * most often at 8–12 trials; from 20 trials on all did about equally well.
 */
function surrogateParams(seed: number): Params {
  return {
    objective: 'regression',
    learning_rate: 0.05,
    num_leaves: 4,
    min_data_in_leaf: 1,
    min_data_in_bin: 1,
    min_data_per_group: 1,
    cat_smooth: 1,
    cat_l2: 1,
    feature_pre_filter: false,
    deterministic: true,
    force_row_wise: true,
    num_threads: 1,
    seed,
    verbosity: -1,
  };
}

/**
 * How much each searched parameter matters to the first objective, as a share: a LightGBM regression
 * surrogate fitted on the complete trials (parameters → objective), then permutation importance on it —
 * each parameter's column shuffled (seeded, several repeats) and the mean rise of the surrogate's squared
 * error recorded, negatives counted as zero, and the rises normalised to sum 1 (all zero when nothing
 * moves the surrogate). Categorical parameters enter as their index among the choices (a LightGBM
 * categorical feature), a conditional parameter a trial did not have as NaN (LightGBM's missing value).
 *
 * Why permutation rather than fANOVA (Optuna's default evaluator): fANOVA decomposes the variance of a
 * random forest tree by tree over the full box of the space, and Optuna runs it on the parameters every
 * trial shares, so conditional parameters drop out. A boosted surrogate is a sum of trees whose variance
 * does not split tree by tree; permutation needs only the surrogate's predictions, keeps conditional
 * parameters (shuffling their NaNs with the rest), and is cheap and reproducible with a seeded shuffle.
 */
export async function paramImportance(space: SearchSpace, trials: readonly ImportanceTrial[], seed: number): Promise<ParamImportance[]> {
  const usable = trials.filter((t) => Number.isFinite(t.value));
  if (usable.length < MIN_IMPORTANCE_TRIALS) return [];
  const names = space.params.map((p) => p.name);
  const rows = usable.length;
  const cols = names.length;
  const x = new Float64Array(rows * cols);
  const y = Float64Array.from(usable, (t) => t.value);
  usable.forEach((t, r) => {
    space.params.forEach((p, c) => {
      const v = t.params[p.name];
      let code = Number.NaN;
      if (v !== undefined) {
        if (p.distribution.type === 'categorical') {
          const i = p.distribution.choices.indexOf(v);
          if (i >= 0) code = i;
        } else if (typeof v === 'number') code = v;
      }
      x[r * cols + c] = code;
    });
  });
  const categorical = space.params.flatMap((p, c) => (p.distribution.type === 'categorical' ? [c] : []));

  const params = surrogateParams(seed);
  const set = Dataset.fromMatrix(x, { rows, cols, label: y, categoricalFeatures: categorical, params });
  const { booster } = await trainWithResult(params, set, { numBoostRound: ROUNDS }).finally(() => set.free());
  try {
    const mse = (m: Float64Array): number => {
      const pred = booster.predict(m, { rows, cols });
      let s = 0;
      for (let i = 0; i < rows; i++) s += (pred[i] - y[i]) ** 2;
      return s / rows;
    };
    const base = mse(x);
    const rng = createRng(seed);
    const shuffled = new Float64Array(x);
    const order = new Int32Array(rows);
    const rises = names.map((_, c) => {
      let total = 0;
      for (let r = 0; r < REPEATS; r++) {
        for (let i = 0; i < rows; i++) order[i] = i;
        for (let i = rows - 1; i > 0; i--) {
          const j = rng.nextInt(i + 1);
          [order[i], order[j]] = [order[j], order[i]];
        }
        for (let i = 0; i < rows; i++) shuffled[i * cols + c] = x[order[i] * cols + c];
        total += mse(shuffled) - base;
      }
      for (let i = 0; i < rows; i++) shuffled[i * cols + c] = x[i * cols + c];
      return Math.max(0, total / REPEATS);
    });
    const sum = rises.reduce((a, b) => a + b, 0);
    return names
      .map((param, c) => ({ param, importance: sum > 0 ? rises[c] / sum : 0 }))
      .sort((a, b) => b.importance - a.importance || names.indexOf(a.param) - names.indexOf(b.param));
  } finally {
    booster.free();
  }
}

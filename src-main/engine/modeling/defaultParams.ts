import { lightgbmParameterName } from '../sweeps/lightgbmParameters';
/**
 * LightGBM settings for noisy binary outcomes like MLB games: shallow trees, slow learning, strong
 * regularization, and LightGBM's deterministic mode so the same seed always gives the same model.
 */
export const DEFAULT_LGB_PARAMS = {
  objective: 'binary',
  metric: 'binary_logloss',
  learning_rate: 0.03,
  num_leaves: 15,
  min_data_in_leaf: 200,
  feature_fraction: 0.8,
  bagging_fraction: 0.8,
  bagging_freq: 1,
  lambda_l2: 10,
  deterministic: true,
  force_col_wise: true,
  verbosity: -1,
} as const;

export const DEFAULT_SEED = 42;
/** Upper bound of boosting rounds; early stopping on the validation window usually ends far sooner. */
export const DEFAULT_NUM_BOOST_ROUND = 1000;
export const DEFAULT_EARLY_STOPPING_ROUNDS = 50;
/** Without a validation window nothing stops the boosting early: LightGBM's own default round count. */
export const DEFAULT_ROUNDS_WITHOUT_VALIDATION = 100;

/** Thread settings are the pool's to decide (pool size × threads ≤ cores), never a user parameter. */
const THREAD_KEYS = new Set(['num_threads', 'num_thread', 'nthread', 'nthreads', 'n_jobs']);

export type LgbParams = Record<string, string | number | boolean>;

/** The parameters a run trains with: defaults, then the user's, then the seed; thread counts removed. */
export function resolveParams(user: Record<string, unknown> | undefined, seed: number): LgbParams {
  const out: LgbParams = { ...DEFAULT_LGB_PARAMS };
  for (const [k, v] of Object.entries(user ?? {})) {
    if (THREAD_KEYS.has(k)) continue;
    // A user's alias replaces the default given under the main name (LightGBM would keep the main name's value).
    const main = lightgbmParameterName(k) ?? k;
    for (const d of Object.keys(out)) if (d !== k && (lightgbmParameterName(d) ?? d) === main) delete out[d];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  out.seed = seed;
  return out;
}

import type { CategoryValue, Distribution, SearchParam, SearchSpace, TrialParams } from '../../shared/sweep/distributions';
import { lightgbmParameterName } from './lightgbmParameters';

/**
 * LightGBM's own defaults for the parameters of the default search space, by canonical name: what a
 * model that does not set one trained with (LightGBM's Parameters page).
 */
const LIGHTGBM_DEFAULTS: Readonly<Record<string, number>> = {
  num_leaves: 31,
  learning_rate: 0.1,
  feature_fraction: 1,
  bagging_fraction: 1,
  bagging_freq: 0,
  min_data_in_leaf: 20,
  max_depth: -1,
  lambda_l1: 0,
  lambda_l2: 0,
};

/** Parameters every trial gets from sweepBaseParams, so a model's copy of them is not carried as a fixed parameter. */
const BASE_KEYS = new Set(['objective', 'metric', 'deterministic', 'force_col_wise', 'feature_pre_filter', 'verbosity', 'seed']);

export interface WarmStart {
  /** The space, each bound widened just enough to hold the model's own value. */
  space: SearchSpace;
  /** The model's parameters the space does not search: every trial trains with them, as the model did. */
  fixed: Record<string, CategoryValue>;
  /** Trial 0: the model's value of every searched parameter that has one the space can hold. */
  enqueued: TrialParams;
}

const canonical = (name: string): string => lightgbmParameterName(name) ?? name;

/** The distribution widened to include v, or null when it cannot hold v (a log bound ≤ 0, off a step grid, not a choice). */
function holding(d: Distribution, v: CategoryValue): Distribution | null {
  if (d.type === 'categorical') return d.choices.some((c) => c === v) ? d : null;
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  if (d.type === 'int' && !Number.isInteger(v)) return null;
  if (d.log && v <= 0) return null;
  const low = Math.min(d.low, v);
  const high = Math.max(d.high, v);
  const step = d.step;
  if (step !== null) {
    // A stepped range keeps its grid: the value must sit on it, and the new bounds too.
    const on = (x: number) => Math.abs((x - d.low) / step - Math.round((x - d.low) / step)) < 1e-9;
    if (!on(v)) return null;
  }
  return { ...d, low, high } as Distribution;
}

/**
 * A sweep warm-started from a trained model's parameters (Optuna's `enqueue_trial` of the current best):
 * trial 0 trains exactly the model's recipe, so the sweep can only report something better than what is
 * served or that recipe itself, and TPE learns from it from the start. A searched parameter the model
 * never set counts at LightGBM's default, which is what the model trained with; a bound that excludes the
 * model's value (the default space's min_child_samples ≤ 100 against Bullpen's 200) is widened to it
 * rather than clipping it, which would make trial 0 a different model. Conditional parameters are left
 * to the sampler.
 */
export function warmStartSpace(space: SearchSpace, modelParams: Readonly<Record<string, CategoryValue>>): WarmStart {
  const byCanonical = new Map(Object.entries(modelParams).map(([k, v]) => [canonical(k), v] as const));
  const searched = new Set(space.params.map((p) => canonical(p.name)));
  const params: SearchParam[] = [];
  const enqueued: TrialParams = {};
  for (const p of space.params) {
    const key = canonical(p.name);
    const value = byCanonical.get(key) ?? LIGHTGBM_DEFAULTS[key];
    const widened = p.when || value === undefined ? null : holding(p.distribution, value);
    if (widened) {
      params.push({ ...p, distribution: widened });
      enqueued[p.name] = value as CategoryValue;
    } else params.push(p);
  }
  const fixed: Record<string, CategoryValue> = {};
  for (const [k, v] of Object.entries(modelParams)) if (!searched.has(canonical(k)) && !BASE_KEYS.has(canonical(k))) fixed[k] = v;
  return { space: { params }, fixed, enqueued };
}

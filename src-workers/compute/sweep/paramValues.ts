import type { Distribution, ParamValue } from '../../../src-main/shared/sweep/distributions';

/**
 * What samplers need to know about a distribution's values: its step grid, the values it contains and
 * the numeric ("internal", as Optuna calls it) form a Parzen estimator works on: the number itself for
 * float/int, the choice's index for a categorical.
 */

/** A float step grid tolerates this much rounding in (high − low) / step before dropping the last point. */
const STEP_TOLERANCE = 1e-9;

export type NumericDistribution = Exclude<Distribution, { type: 'categorical' }>;

/** The step of a discrete numeric distribution (every int, a float with step), null for a continuous float. */
export function stepOf(d: NumericDistribution): number | null {
  return d.step;
}

/** How many steps above `low` the grid reaches (Optuna lowers a high the step does not reach to the last grid point). */
export function stepCount(d: NumericDistribution): number {
  const step = stepOf(d);
  if (step === null) throw new Error('stepCount needs a discrete distribution');
  return Math.max(0, Math.floor((d.high - d.low) / step + (d.type === 'float' ? STEP_TOLERANCE : 0)));
}

/** The highest value a draw can take (`high`, or the last step-grid point at or below it). */
export function effectiveHigh(d: NumericDistribution): number {
  const step = stepOf(d);
  return step === null ? d.high : gridPoint(d, stepCount(d));
}

function decimalPlaces(x: number): number {
  const [mantissa, exponent] = String(x).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

/**
 * The k-th step-grid point, low + k·step. For a float step it is rounded to the decimals of low and step,
 * so 0.1 + 2·0.1 is stored as 0.3 and not 0.30000000000000004 (the value a user wrote in a space file).
 */
export function gridPoint(d: NumericDistribution, k: number): number {
  const step = stepOf(d);
  if (step === null) throw new Error('gridPoint needs a discrete distribution');
  const v = d.low + k * step;
  if (d.type === 'int') return v;
  const places = Math.max(decimalPlaces(d.low), decimalPlaces(step));
  return places <= 15 ? Number(v.toFixed(places)) : v;
}

/** Rounds a number to the nearest point of a discrete distribution's step grid, inside its bounds. */
export function snapToGrid(d: NumericDistribution, v: number): number {
  const k = Math.round((v - d.low) / (stepOf(d) as number));
  return gridPoint(d, Math.min(stepCount(d), Math.max(0, k)));
}

/** True when the distribution has one value only (Optuna's `single()`): nothing to sample. */
export function isSingle(d: Distribution): boolean {
  if (d.type === 'categorical') return d.choices.length === 1;
  if (d.low === d.high) return true;
  return stepOf(d) !== null && stepCount(d) === 0;
}

/** The value of a single-valued distribution. */
export function singleValue(d: Distribution): ParamValue {
  return d.type === 'categorical' ? d.choices[0] : d.low;
}

/**
 * The internal (numeric) form of a trial's value, or null when the value does not belong to the
 * distribution (a trial from before the space was edited): such a trial tells nothing about this space.
 */
export function toInternal(d: Distribution, value: ParamValue | undefined): number | null {
  if (value === undefined) return null;
  if (d.type === 'categorical') {
    const i = d.choices.findIndex((c) => c === value);
    return i < 0 ? null : i;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (value < d.low || value > d.high) return null;
  if (d.log && value <= 0) return null;
  return value;
}

/** The value a trial gets from an internal (numeric) form. */
export function toExternal(d: Distribution, internal: number): ParamValue {
  return d.type === 'categorical' ? d.choices[internal] : internal;
}

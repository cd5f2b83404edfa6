import { FOLD_END, STEP_STRIDE, type Direction, type IntermediatePoint } from '../../../../src-main/shared/sweep/trials';

/** The CV fold (0-based) a step belongs to. */
export const foldOf = (step: number): number => Math.floor(step / STEP_STRIDE);
/** The boosting iteration of an iteration step (1-based), or FOLD_END for a fold's end. */
export const iterationOf = (step: number): number => step % STEP_STRIDE;
export const isFoldEnd = (step: number): boolean => iterationOf(step) === FOLD_END;

/** A step in the words of a pruning reason: folds count from 1, as the rest of a sweep's messages do. */
export function describeStep(step: number): string {
  const fold = foldOf(step) + 1;
  return isFoldEnd(step) ? `fold ${fold} end` : `fold ${fold} iteration ${iterationOf(step)}`;
}

/** True when `a` is strictly worse than `b` in the direction. */
export const worse = (a: number, b: number, direction: Direction): boolean => (direction === 'minimize' ? a > b : a < b);

/** The value a trial reported at `step`, if it did. */
export function valueAt(points: readonly IntermediatePoint[], step: number): number | undefined {
  for (const p of points) if (p.step === step) return p.value;
  return undefined;
}

/**
 * Two numbers of a reason, printed with 4 significant digits, or more when that would print them equal
 * (a reason saying "0.6931 is worse than 0.6931" explains nothing).
 */
export function formatPair(a: number, b: number): [string, string] {
  for (let digits = 4; digits < 17; digits++) {
    const fa = format(a, digits);
    const fb = format(b, digits);
    if (fa !== fb) return [fa, fb];
  }
  return [String(a), String(b)];
}

export function format(v: number, digits = 4): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : String(v);
}

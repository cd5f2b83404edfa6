import { DEFAULT_PRIOR_SD, riskThresholdFor } from '../../../../src-workers/compute/experiments/statistics';
import { inputError } from '../../../shared/errors';
import { DEFAULT_RAMP_STEPS, type ExperimentConfig, type ExperimentOptions, type RampState } from '../../../shared/results/experiments';

export type { ExperimentOptions };

const SPLIT = /^(\d{1,3}(?:\.\d+)?)\/(\d{1,3}(?:\.\d+)?)$/;
const SPLIT_SUM_TOLERANCE = 1e-9;

/** `80/20` → [80, 20]: control and challenger percent, each above 0 and below 100, summing to 100. */
export function parseSplit(text: string): [number, number] {
  const m = SPLIT.exec(text.trim());
  const control = m ? Number(m[1]) : Number.NaN;
  const challenger = m ? Number(m[2]) : Number.NaN;
  if (!m || !(control > 0 && challenger > 0) || Math.abs(control + challenger - 100) > SPLIT_SUM_TOLERANCE)
    throw inputError(
      'BAD_SPLIT',
      `--split ${text} is not CONTROL/CHALLENGER percent of the games: two numbers above 0 that sum to 100, control first (e.g. 80/20)`,
      { split: text },
    );
  return [control, challenger];
}

/** MLB games on an in-season day (about 2,430 over 186 days, 15 on a typical slate). */
export const MLB_GAMES_PER_DAY = 15;

/**
 * The confidence sequence's N*: the games expected by the maximum duration, where the decision is usually
 * made (GrowthBook's advice for the tuning). Its default of 5,000 suits web traffic; at MLB volumes it left
 * the sequential test almost no power in 14–30 days while its false-positive rate stayed far below α either
 * way (bench/abSimulation.ts: paired 30 days, power 2% with 5,000 against 21% with 15 × days, FPR ≤ 1.5%).
 */
export function sequentialTuning(maxDays: number): number {
  return MLB_GAMES_PER_DAY * maxDays;
}

/** The stored settings of a new experiment. */
export function experimentConfig(options: ExperimentOptions): ExperimentConfig {
  const guardrails = [...new Set(options.guardrails)].filter((g) => g !== options.metric);
  return {
    split: parseSplit(options.split),
    metric: options.metric,
    guardrails,
    analysis: options.analysis,
    minSamples: options.minSamples,
    maxDays: options.maxDays,
    alpha: options.alpha,
    minEffect: options.minEffect,
    bankroll: options.bankroll,
    maxLossShare: options.maxLoss,
    stopRule: options.stopRule,
    // GrowthBook's prior; a risk threshold 100× (or more, for long experiments) below GrowthBook's, which at MLB
    // volumes declares winners in 29–89% of no-effect experiments (bench/abSimulation.ts; statistics.ts says why).
    riskThreshold: riskThresholdFor(options.maxDays),
    prior: { mean: 0, sd: DEFAULT_PRIOR_SD },
    sequentialTuning: sequentialTuning(options.maxDays),
    canary: options.canary,
    canaryStepGames: options.canaryStepGames,
  };
}

/** A canary ramps from its first step; a plain split has no ramp. */
export function initialRamp(config: ExperimentConfig): RampState {
  return config.canary
    ? { steps: [...DEFAULT_RAMP_STEPS], current: 0, status: 'ramping', completed: [] }
    : { steps: [...DEFAULT_RAMP_STEPS], current: null, status: 'off', completed: [] };
}

/** The challenger's share of newly routed games at the start: the ramp's first step, or the split. */
export function initialShare(config: ExperimentConfig, ramp: RampState): number {
  if (ramp.current !== null) return ramp.steps[ramp.current] / 100;
  return config.split[1] / 100;
}

/** `CHALLENGER-vs-CONTROL`, cut to the name rule (letters, digits, _ . -). */
export function defaultExperimentName(challenger: string, control: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '-');
  return `${clean(challenger)}-vs-${clean(control)}`.replace(/^[^A-Za-z0-9]+/, '').slice(0, 90) || 'experiment';
}

import type { ValidationPolicy } from '../../../src-main/shared/validationPolicy';

/**
 * Out-of-sample games with the prices the backtest bets at: one row per game, sorted by day.
 * `p` is the model's home-win probability, predicted by a model that never saw the game.
 */
export interface EvidenceGames {
  /** UTC day numbers (compute/cv/dayNumbers). */
  days: Int32Array;
  /** 1 home won, 0 away won. */
  label: Float64Array;
  p: Float64Array;
  /** Decimal odds, NaN where missing. */
  closeHome: Float64Array;
  closeAway: Float64Array;
  openHome: Float64Array;
  openAway: Float64Array;
}

/**
 * Everything the gates read, gathered by the engine (engine/validation) from runs and the feature store.
 * The gate computation is pure: the same evidence and policy always give the same gates.
 */
export interface ValidationEvidence {
  policy: ValidationPolicy;
  /** The evaluation window: holdout predictions, or walk-forward out-of-fold predictions. */
  games: EvidenceGames;
  /** Gain importance per CV fold, aligned with `features`; null when no CV with ≥ 2 folds was available. */
  importance: { features: string[]; foldGains: number[][] } | null;
  /** The leakage guard on the model's feature set; null when it could not run (then the sentinel reads metrics only). */
  leakageGuard: { passed: boolean; leakingFeatures: string[] } | null;
  /** Features ordered by mean gain share, most important first (named when metrics alone suggest leakage). */
  topFeatures: string[];
  /** Combinatorially purged CV: its games (the CV window) and each path's probability per game; null when not run. */
  cpcv: { games: EvidenceGames; paths: Float64Array[] } | null;
  /** Tries behind the model beyond the staking strategies compared here (a sweep's trials; 1 when none). */
  sweepTrials: number;
}

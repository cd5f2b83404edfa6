import { z } from 'zod';
import { cvSchemes, oddsSides } from './vocabulary';

/**
 * The validation policy: which gates a model must pass before promotion, and the staking plan its
 * backtest is judged under. Every object is strict so a typo is refused (the loader adds "did you mean").
 * Defaults are the original requirements' numbers (accuracy ≥ 0.60 with the 0.55 baseline named, ROI ≥ 3%,
 * max drawdown ≤ 25%) and the honesty gates; on real MLB data the first two can only be passed by luck or
 * leakage, which is the point: the honesty gates say which.
 */
const enabled = z.boolean().default(true);
const share = z.number().min(0).max(1);
const probabilityLevel = z.number().gt(0).lt(1);

export const gatePolicySchemas = {
  accuracy: z.object({ enabled, min: share.default(0.6), baseline: share.default(0.55) }).strict(),
  roi: z.object({ enabled, min: z.number().min(-1).default(0.03) }).strict(),
  /** Fraction of the peak bankroll under the staking plan, in [0, 1]. */
  maxDrawdown: z.object({ enabled, max: share.default(0.25) }).strict(),
  /** Annualized Sharpe of daily returns under the staking plan. */
  sharpe: z.object({ enabled, min: z.number().default(0) }).strict(),
  /** Mean pairwise rank correlation of gain importances across CV folds, and the share of the top-k in every fold. */
  featureStability: z.object({ enabled, min: z.number().min(-1).max(1).default(0.6), topK: z.int().min(1).max(1000).default(10) }).strict(),
  bets: z.object({ enabled, min: z.int().min(0).default(300) }).strict(),
  /** The bootstrap CI of ROI at this level must exclude 0 (lie above it). */
  roiSignificance: z.object({ enabled, level: probabilityLevel.default(0.95) }).strict(),
  /** One-sided binomial test of accuracy against the accuracy gate's baseline. */
  accuracySignificance: z.object({ enabled, alpha: probabilityLevel.default(0.05) }).strict(),
  /** Model log loss may exceed the closing market's by at most maxGap (games with both prices). */
  marketLogLoss: z.object({ enabled, maxGap: z.number().min(0).max(1).default(0.02) }).strict(),
  calibration: z.object({ enabled, maxEce: share.default(0.03) }).strict(),
  leakage: z.object({ enabled, maxLogLossAdvantage: share.default(0.005), maxAccuracyAdvantage: share.default(0.02) }).strict(),
  /** Deflated Sharpe ratio (probability) and probability of backtest overfitting over the tries behind the model. */
  overfitting: z.object({ enabled, maxPbo: share.default(0.5), minDeflatedSharpe: share.default(0.95) }).strict(),
} as const;

export type GateName = keyof typeof gatePolicySchemas;
export const gateNames = Object.keys(gatePolicySchemas) as GateName[];
export const gateNameSchema = z.enum(gateNames as [GateName, ...GateName[]]);

export const gateLabels: Record<GateName, string> = {
  accuracy: 'Accuracy',
  roi: 'ROI',
  maxDrawdown: 'Maximum drawdown',
  sharpe: 'Sharpe ratio',
  featureStability: 'Feature-importance stability',
  bets: 'Number of bets',
  roiSignificance: 'ROI significance',
  accuracySignificance: 'Accuracy significance',
  marketLogLoss: 'Log loss against the market',
  calibration: 'Calibration (ECE)',
  leakage: 'Leakage sentinel',
  overfitting: 'Backtest overfitting',
};

export const stakingStrategies = ['kelly', 'edge', 'flat'] as const;

/** The staking plan the backtest is judged under; bankroll starts at 1. */
export const stakingPolicySchema = z
  .object({
    strategy: z.enum(stakingStrategies).default('kelly'),
    /** Minimum probability edge over the offered price to bet (edge and kelly). */
    edge: share.default(0.02),
    kellyFraction: z.number().gt(0).max(1).default(0.25),
    /** Kelly stakes are capped at this fraction of the current bankroll. */
    cap: z.number().gt(0).max(1).default(0.05),
    /** Flat and edge stakes, as a fraction of the starting bankroll. */
    stake: z.number().gt(0).max(1).default(0.01),
  })
  .strict();

/** The CV whose folds judge feature stability (and give out-of-fold predictions when no later season exists). */
export const validationCvPolicySchema = z
  .object({
    scheme: z.enum(cvSchemes).default('walk-forward'),
    splits: z.int().min(2).max(50).default(5),
    /** Combinatorially purged CV behind the overfitting gate: N groups, k test groups; groups 0 turns it off. */
    cpcvGroups: z.int().min(0).max(16).default(6),
    cpcvTestGroups: z.int().min(1).max(8).default(2),
  })
  .strict();

const gatesSchema = z
  .object({
    accuracy: gatePolicySchemas.accuracy.default(gatePolicySchemas.accuracy.parse({})),
    roi: gatePolicySchemas.roi.default(gatePolicySchemas.roi.parse({})),
    maxDrawdown: gatePolicySchemas.maxDrawdown.default(gatePolicySchemas.maxDrawdown.parse({})),
    sharpe: gatePolicySchemas.sharpe.default(gatePolicySchemas.sharpe.parse({})),
    featureStability: gatePolicySchemas.featureStability.default(gatePolicySchemas.featureStability.parse({})),
    bets: gatePolicySchemas.bets.default(gatePolicySchemas.bets.parse({})),
    roiSignificance: gatePolicySchemas.roiSignificance.default(gatePolicySchemas.roiSignificance.parse({})),
    accuracySignificance: gatePolicySchemas.accuracySignificance.default(gatePolicySchemas.accuracySignificance.parse({})),
    marketLogLoss: gatePolicySchemas.marketLogLoss.default(gatePolicySchemas.marketLogLoss.parse({})),
    calibration: gatePolicySchemas.calibration.default(gatePolicySchemas.calibration.parse({})),
    leakage: gatePolicySchemas.leakage.default(gatePolicySchemas.leakage.parse({})),
    overfitting: gatePolicySchemas.overfitting.default(gatePolicySchemas.overfitting.parse({})),
  })
  .strict();

export const validationPolicySchema = z
  .object({
    gates: gatesSchema.default(() => gatesSchema.parse({})),
    staking: stakingPolicySchema.default(() => stakingPolicySchema.parse({})),
    odds: z.enum(oddsSides).default('close'),
    cv: validationCvPolicySchema.default(() => validationCvPolicySchema.parse({})),
    bootstrap: z
      .object({ resamples: z.int().min(100).max(100_000).default(2000), seed: z.int().default(1) })
      .strict()
      .default({ resamples: 2000, seed: 1 }),
    /** Validate every model when its training run completes. */
    autoValidate: z.boolean().default(true),
  })
  .strict();

export type ValidationPolicy = z.output<typeof validationPolicySchema>;
export type ValidationPolicyInput = z.input<typeof validationPolicySchema>;

/** The policy a workspace starts with. */
export function defaultValidationPolicy(): ValidationPolicy {
  return validationPolicySchema.parse({});
}

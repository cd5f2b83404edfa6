import { z } from 'zod';

/** How a feature's drift is measured (compute/monitoring/featureDrift implements each). */
export const driftMethods = ['psi', 'ks', 'wasserstein', 'jensenShannon'] as const;
const driftRule = z.object({ method: z.enum(driftMethods), threshold: z.number().positive() }).strict();

/**
 * Automated retraining (off unless `enabled`). Triggers keep the original system's defaults: ROI under 3%
 * over 7 days, drift score above 0.8 on 3 consecutive checked days, weekly on Sunday, more than 1,000 new
 * settled games since the model's training data ends. A fired trigger starts the pipeline at most once per
 * cooldown. "Better" is judged out of sample for both models on the most recent settled games: the
 * challenger is trained on data before the comparison window, must improve the metric by more than
 * `minImprovement` (relative) and the paired bootstrap interval of the per-game difference must exclude 0;
 * only then is it refit on everything known and promoted as far as `autoPromote` allows.
 */
export const retrainingPolicySchema = z
  .object({
    enabled: z.boolean().default(false),
    triggers: z
      .object({
        performance: z
          .object({
            enabled: z.boolean().default(true),
            metric: z.enum(['roi', 'logLoss', 'accuracy']).default('roi'),
            /** ROI and accuracy fire below it; log loss above it. */
            threshold: z.number().default(0.03),
            days: z.number().int().min(1).default(7),
            /** Too few settled games in the window to judge: the trigger waits. */
            minGames: z.number().int().min(1).default(50),
          })
          .strict()
          .default({ enabled: true, metric: 'roi', threshold: 0.03, days: 7, minGames: 50 }),
        drift: z
          .object({
            enabled: z.boolean().default(true),
            above: z.number().gt(0).max(1).default(0.8),
            consecutiveDays: z.number().int().min(1).default(3),
          })
          .strict()
          .default({ enabled: true, above: 0.8, consecutiveDays: 3 }),
        schedule: z
          .object({
            enabled: z.boolean().default(true),
            /** croner syntax; default Sunday 06:00. */
            cron: z.string().min(1).default('0 6 * * 0'),
            timezone: z.string().min(1).default('UTC'),
          })
          .strict()
          .default({ enabled: true, cron: '0 6 * * 0', timezone: 'UTC' }),
        dataVolume: z
          .object({ enabled: z.boolean().default(true), newGames: z.number().int().min(1).default(1000) })
          .strict()
          .default({ enabled: true, newGames: 1000 }),
      })
      .strict()
      .default({
        performance: { enabled: true, metric: 'roi', threshold: 0.03, days: 7, minGames: 50 },
        drift: { enabled: true, above: 0.8, consecutiveDays: 3 },
        schedule: { enabled: true, cron: '0 6 * * 0', timezone: 'UTC' },
        dataVolume: { enabled: true, newGames: 1000 },
      }),
    /** Days after a retraining (whatever its decision) before any trigger may start another. */
    cooldownDays: z.number().int().min(0).default(7),
    /** The training window: every season up to the cutoff, or the last N seasons (the current one counts). */
    window: z
      .object({ rule: z.enum(['expanding', 'lastSeasons']).default('expanding'), seasons: z.number().int().min(1).default(5) })
      .strict()
      .default({ rule: 'expanding', seasons: 5 }),
    comparison: z
      .object({
        /** The most recent settled games the champion and challenger are compared on (days back from the last settled day). */
        days: z.number().int().min(1).default(30),
        metric: z.enum(['logLoss', 'roi', 'accuracy']).default('logLoss'),
        /** Relative improvement the challenger needs (0.05: log loss 5% lower). */
        minImprovement: z.number().min(0).default(0.05),
        ciLevel: z.number().gt(0.5).lt(1).default(0.95),
        resamples: z.number().int().min(100).max(100_000).default(2000),
        minGames: z.number().int().min(1).default(100),
      })
      .strict()
      .default({ days: 30, metric: 'logLoss', minImprovement: 0.05, ciLevel: 0.95, resamples: 2000, minGames: 100 }),
    /** Trials of a short sweep warm-started from the current parameters; 0 keeps the champion's parameters. */
    sweepTrials: z.number().int().min(0).max(200).default(0),
    /** How far a winning challenger is promoted without a person: nowhere (registered only), staging, or production. */
    autoPromote: z.enum(['none', 'staging', 'production']).default('none'),
    probation: z
      .object({
        days: z.number().int().min(1).default(14),
        /** Roll back when the new model's log loss over probation is worse than the previous model's by more than this (relative). */
        maxRelativeWorse: z.number().min(0).default(0.02),
        minGames: z.number().int().min(1).default(100),
      })
      .strict()
      .default({ days: 14, maxRelativeWorse: 0.02, minGames: 100 }),
  })
  .strict();
export type RetrainingPolicy = z.output<typeof retrainingPolicySchema>;

/**
 * A deployment's operations policy (YAML or JSON; unknown keys refused with a did-you-mean, exit 3).
 * Defaults are the original system's: PSI > 0.2, prediction KS > 0.3, a 10% performance drop over 7
 * days (also beyond noise), missing > 15%, drift score > 0.7, hourly checks over rolling windows of days.
 */
export const opsPolicySchema = z
  .object({
    schedule: z
      .object({
        /** Cron expression of the live checks (croner syntax). A replay checks once per replayed day. */
        checks: z.string().min(1).default('0 * * * *'),
        timezone: z.string().min(1).default('UTC'),
      })
      .strict()
      .default({ checks: '0 * * * *', timezone: 'UTC' }),
    /** The reference the current windows are compared with: the model's validation window (its holdout seasons), or seasons named here. */
    reference: z
      .object({ source: z.enum(['validation', 'seasons']).default('validation'), seasons: z.string().optional() })
      .strict()
      .default({ source: 'validation' }),
    windows: z
      .object({
        /** Days of predictions the drift monitors compare with the reference (an hour holds 0–15 games). */
        driftDays: z.number().int().min(1).default(30),
        performanceDays: z.number().int().min(1).default(7),
      })
      .strict()
      .default({ driftDays: 30, performanceDays: 7 }),
    featureDrift: z
      .object({
        default: driftRule.default({ method: 'psi', threshold: 0.2 }),
        /** Per-feature rules by feature name. */
        features: z.record(z.string(), driftRule).default({}),
      })
      .strict()
      .default({ default: { method: 'psi', threshold: 0.2 }, features: {} }),
    predictionDrift: z
      .object({ ks: z.number().positive().default(0.3), psi: z.number().positive().default(0.2) })
      .strict()
      .default({ ks: 0.3, psi: 0.2 }),
    performance: z
      .object({ relativeDrop: z.number().positive().default(0.1), ciLevel: z.number().gt(0.5).lt(1).default(0.95) })
      .strict()
      .default({ relativeDrop: 0.1, ciLevel: 0.95 }),
    quality: z
      .object({
        maxMissing: z.number().min(0).max(1).default(0.15),
        missingRatio: z.number().min(1).default(1.1),
        /** Season-to-date features are legitimately missing in a team's first games of a season: those rows are exempt. */
        exemptFirstGames: z.number().int().min(0).default(10),
        staleHours: z.number().positive().default(24),
      })
      .strict()
      .default({ maxMissing: 0.15, missingRatio: 1.1, exemptFirstGames: 10, staleHours: 24 }),
    driftScore: z
      .object({ alert: z.number().gt(0).max(1).default(0.7) })
      .strict()
      .default({ alert: 0.7 }),
    alerts: z
      .object({
        webhook: z
          .object({
            url: z.string().url(),
            timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
            retries: z.number().int().min(0).max(10).default(3),
          })
          .strict()
          .nullable()
          .default(null),
        desktop: z.boolean().default(true),
      })
      .strict()
      .default({ webhook: null, desktop: true }),
    retraining: retrainingPolicySchema.default(retrainingPolicySchema.parse({})),
  })
  .strict();
export type OpsPolicy = z.output<typeof opsPolicySchema>;
export const DEFAULT_OPS_POLICY: OpsPolicy = opsPolicySchema.parse({});

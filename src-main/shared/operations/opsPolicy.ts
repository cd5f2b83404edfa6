import { z } from 'zod';

/** How a feature's drift is measured (compute/monitoring/featureDrift implements each). */
export const driftMethods = ['psi', 'ks', 'wasserstein', 'jensenShannon'] as const;
const driftRule = z.object({ method: z.enum(driftMethods), threshold: z.number().positive() }).strict();

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
  })
  .strict();
export type OpsPolicy = z.output<typeof opsPolicySchema>;
export const DEFAULT_OPS_POLICY: OpsPolicy = opsPolicySchema.parse({});

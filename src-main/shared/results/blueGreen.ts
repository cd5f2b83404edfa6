import { z } from 'zod';

/** How close a health check's scores must be to the probabilities its validation recorded (absolute, per game). */
export const HEALTH_CHECK_TOLERANCE = 1e-9;
/** The most games a health check scores: a fixed, evenly spaced sample of the validation's evaluation games. */
export const HEALTH_CHECK_GAMES = 200;

/** A registry version a deployment serves (or served). */
export const servedVersionSchema = z.object({ modelName: z.string(), version: z.number().int() });

/**
 * The health check before a blue-green switch: the new version's model scored a fixed set of its
 * validation's games through the serving path, and every probability matched the recorded one.
 */
export const healthCheckSchema = z.object({
  games: z.number().int().min(0),
  /** The largest |served − recorded| over those games (null when nothing could be scored). */
  maxAbsDiff: z.number().nullable(),
  passed: z.boolean(),
});
export type HealthCheck = z.output<typeof healthCheckSchema>;

/** `deploy switch` and `deploy rollback`: what the deployment served, what it serves now, the check that allowed it, and when. */
export const deploySwitchResultSchema = z.object({
  deployment: z.string(),
  from: servedVersionSchema,
  to: servedVersionSchema,
  healthCheck: healthCheckSchema,
  switchedAt: z.string(),
});
export type DeploySwitchResult = z.output<typeof deploySwitchResultSchema>;

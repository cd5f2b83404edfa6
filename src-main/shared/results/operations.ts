import { z } from 'zod';
import { opsPolicySchema } from '../operations/opsPolicy';
import { count, isoDate, measured } from './numbers';
import { replayExperimentSchema, routedPredictionSchema } from './experiments';
import { gameWindowSchema, retrainComparisonSchema, retrainDecisions, retrainTriggers } from './retraining';

export const monitorStatusSchema = z.enum(['ok', 'warn', 'alert', 'unknown']);

/** One monitor's answer (compute/monitoring MonitorResult). */
export const monitorResultSchema = z.object({
  monitor: z.string(),
  subject: z.string().nullable(),
  value: measured,
  threshold: z.number(),
  status: monitorStatusSchema,
  explanation: z.string(),
  // The figures a check keeps beside the value (runMonitors' stored extras), for the Monitoring screen.
  /** A feature's drift method. */
  method: z.string().optional(),
  /** Every drift statistic of a feature (psi, ks, ksPValue, …, and ksMethod: exact or asymptotic), or of the predictions. */
  statistics: z.record(z.string(), z.union([measured, z.string()])).optional(),
  /** A performance metric over the reference and over the rolling window; a CBPE metric's reference. */
  reference: measured.optional(),
  current: measured.optional(),
  /** Bootstrap interval of the relative drop. */
  degradationCi: z.tuple([measured, measured]).nullable().optional(),
  /** A CBPE metric's estimate and its interval. */
  estimate: measured.optional(),
  interval: z.tuple([measured, measured]).nullable().optional(),
  /** Games counted (a number, or per side). */
  n: z.unknown().optional(),
  /** Prediction drift: the shares of the reference's and the window's predictions in the reference's deciles. */
  bins: z.array(z.object({ label: z.string(), reference: z.number(), current: z.number() })).optional(),
});

export const deploymentSchema = z.object({
  id: z.string(),
  name: z.string(),
  modelName: z.string(),
  /** The registry version served; null when a replay serves a trained model that is not registered. */
  version: z.number().int().nullable(),
  sourceModel: z.string(),
  status: z.enum(['active', 'stopped']),
  policy: opsPolicySchema,
  createdAt: z.string(),
  stoppedAt: z.string().nullable(),
  replayId: z.string().nullable(),
});
export type Deployment = z.output<typeof deploymentSchema>;

/** One prediction as logged (append-only; a correction is a new row pointing at the one it corrects). */
export const loggedPredictionSchema = z.object({
  seq: z.number().int(),
  deploymentId: z.string(),
  gameId: z.string(),
  gameDate: isoDate,
  predictedAt: z.string(),
  modelName: z.string(),
  version: z.number().int().nullable(),
  p: z.number(),
  priceHome: measured,
  priceAway: measured,
  kind: z.enum(['prediction', 'correction']),
  /** How it was asked for: cli, api, import, replay. */
  via: z.string(),
  /** Joined at read time from results known at the clock's time; null before the game is graded. */
  outcome: z.number().nullable(),
  closeHome: measured,
  closeAway: measured,
});
export type LoggedPrediction = z.output<typeof loggedPredictionSchema>;

export const alertSchema = z.object({
  id: z.string(),
  deploymentId: z.string(),
  monitor: z.string(),
  subject: z.string().nullable(),
  severity: z.enum(['warn', 'alert']),
  value: measured,
  threshold: z.number().nullable(),
  explanation: z.string(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  status: z.enum(['firing', 'resolved']),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
});
export type Alert = z.output<typeof alertSchema>;

/** One monitoring check: every monitor's result and the composite drift score, at the clock's time. */
export const monitorCheckSchema = z.object({
  id: z.string(),
  deploymentId: z.string(),
  checkedAt: z.string(),
  window: z.object({ from: isoDate.nullable(), to: isoDate.nullable() }),
  driftScore: measured,
  results: z.array(monitorResultSchema),
});
export type MonitorCheck = z.output<typeof monitorCheckSchema>;

/** `deploy predict`: the games scored and logged. */
export const deployPredictResultSchema = z.object({
  deployment: z.string(),
  modelName: z.string(),
  version: z.number().int().nullable(),
  predictions: z.array(
    z.object({
      gameId: z.string(),
      date: isoDate,
      home: z.string(),
      away: z.string(),
      p: z.number(),
      seq: z.number().int(),
      /** While an A/B experiment runs on the deployment (shared/results/experiments). */
      experiment: routedPredictionSchema.optional(),
    }),
  ),
  /** Games that could not be scored, and why (a missing feature row, a model that does not cover the date). */
  unscored: z.array(z.object({ gameId: z.string(), reason: z.string() })),
});

/** `deploy replay --json` (the shape). */
export const replayResultSchema = z.object({
  replayId: z.string(),
  season: z.number().int(),
  modelName: z.string(),
  days: count,
  predictions: count,
  settled: count,
  alerts: z.array(
    z.object({
      date: isoDate,
      monitor: z.string(),
      feature: z.string().nullable(),
      value: measured,
      threshold: z.number().nullable(),
      severity: z.enum(['warn', 'alert']),
    }),
  ),
  driftScore: z.array(z.object({ date: isoDate, value: measured })),
  performance: z.object({
    logLoss: measured,
    accuracy: measured,
    brier: measured,
    roi: measured,
    marketLogLoss: measured,
    bets: count,
  }),
  /**
   * The retrainings the replayed days started (empty when the policy's retraining is off): the replayed day
   * whose check fired the trigger, the challenger and the data it trained on, the comparison and the decision,
   * and a probation rollback of its promotion.
   */
  retrains: z.array(
    z.object({
      date: isoDate,
      retrainId: z.string(),
      trigger: z.enum(retrainTriggers),
      reason: z.string(),
      decision: z.enum(retrainDecisions),
      decisionReason: z.string().nullable(),
      challenger: z
        .object({
          model: z.string(),
          bestIteration: count,
          trainWindow: gameWindowSchema.nullable(),
          logLoss: measured,
          accuracy: measured,
        })
        .nullable(),
      comparisonWindow: gameWindowSchema.nullable(),
      comparison: retrainComparisonSchema.nullable(),
      /** The model the replay's deployment served from the next day on, when the challenger won. */
      served: z.string().nullable(),
      rollback: z.object({ date: isoDate, reason: z.string() }).nullable(),
    }),
  ),
  /** The A/B experiments the replay ran (`--challenger`): control first in each one's variants; empty without a challenger. */
  experiments: z.array(replayExperimentSchema).default([]),
  durationMs: z.number(),
});
export type ReplayResult = z.output<typeof replayResultSchema>;

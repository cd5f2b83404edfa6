import { z } from 'zod';
import { defineOp } from '../defineOp';
import { jobSchema } from '../../../shared/events';
import {
  alertSchema,
  deployPredictResultSchema,
  deploymentSchema,
  loggedPredictionSchema,
  monitorCheckSchema,
  replayResultSchema,
} from '../../../shared/results/operations';
import { isoDate } from '../../../shared/results/numbers';
import { experimentOptionsSchema } from '../../../shared/results/experiments';
import { retrainHistorySchema, retrainRecordSchema } from '../../../shared/results/retraining';
import { deploySwitchResultSchema } from '../../../shared/results/blueGreen';

export const deploymentName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a deployment name uses letters, digits, _ . -');
/** Game ids one request may score (a season's schedule is about 2,430 games). */
export const predictGameIds = z.array(z.string().min(1).max(40)).min(1).max(5000);
const policySources = {
  policy: z.string().min(1).optional().describe('operations policy file (YAML or JSON); default: the default policy'),
  policyText: z.string().max(100_000).optional().describe('the operations policy as YAML or JSON text'),
};

export const deployOps = {
  'deploy.start': defineOp({
    kind: 'command',
    summary: 'Deploy a registered model (its production version by default) under an operations policy',
    input: z
      .object({
        model: z.string().min(1).max(120).describe('NAME[:VERSION] of the registry'),
        name: deploymentName.optional().describe('the deployment name (default: the model name)'),
        ...policySources,
      })
      .strict(),
    output: deploymentSchema,
    cli: { path: ['deploy', 'start'], help: 'deploy a model: --model NAME[:VERSION] [--name D] [--policy FILE]', files: ['policy'] },
  }),
  'deploy.list': defineOp({
    kind: 'query',
    summary: 'Deployments, newest first',
    input: z.object({ all: z.boolean().default(false).describe('include stopped deployments') }).strict(),
    output: z.array(deploymentSchema),
    cli: { path: ['deploy', 'list'], help: 'list deployments [--all]' },
  }),
  'deploy.show': defineOp({
    kind: 'query',
    summary: 'A deployment: its model, policy, last check, firing alerts and prediction counts',
    input: z.object({ name: deploymentName }).strict(),
    output: z.object({
      deployment: deploymentSchema,
      lastCheck: monitorCheckSchema.nullable(),
      firing: z.array(alertSchema),
      predictions: z.number().int(),
      settled: z.number().int(),
    }),
    cli: { path: ['deploy', 'show'], positionals: ['name'], help: 'show a deployment: NAME' },
  }),
  'deploy.stop': defineOp({
    kind: 'command',
    summary: 'Stop a deployment: it scores nothing more; its log, checks and alerts stay',
    input: z.object({ name: deploymentName }).strict(),
    output: deploymentSchema,
    cli: { path: ['deploy', 'stop'], positionals: ['name'], help: 'stop a deployment: NAME' },
  }),
  'deploy.predict': defineOp({
    kind: 'command',
    summary: "Score games with a deployment and append the predictions to its log: a date's games, or the upcoming ones",
    input: z
      .object({
        name: deploymentName,
        date: isoDate.optional().describe("score this date's games"),
        upcoming: z.boolean().default(false).describe('score every scheduled game not yet played'),
        gameIds: predictGameIds.optional().describe('score these games'),
        via: z.enum(['cli', 'api', 'ui']).default('cli').describe('who asks, kept on each log row (POST /api/v1/predict sends api)'),
      })
      .strict(),
    output: deployPredictResultSchema,
    cli: { path: ['deploy', 'predict'], positionals: ['name'], help: 'score games: NAME --date 2016-07-04 | --upcoming' },
  }),
  'deploy.switch': defineOp({
    kind: 'command',
    summary:
      "Blue-green switch: the deployment serves another version of its registered model. The version's model must reproduce its validation's probabilities (health check, exit 1 when not) and pass the registry's gates; it is promoted to production and served in one atomic change",
    input: z
      .object({
        name: deploymentName,
        to: z.string().min(1).max(120).describe("MODEL:VERSION of the registry (the deployment's registered model)"),
        reason: z.string().trim().min(1).max(2000).optional().describe('why, for the audit trail'),
      })
      .strict(),
    output: deploySwitchResultSchema,
    cli: {
      path: ['deploy', 'switch'],
      positionals: ['name'],
      help: 'switch the served version after a health check: NAME --to MODEL:VERSION [--reason TEXT]; exit 1 when the check or a gate fails',
    },
  }),
  'deploy.rollback': defineOp({
    kind: 'command',
    summary:
      'One step back: the registry restores the previous production version and the deployment serves it, after the same health check',
    input: z
      .object({ name: deploymentName, reason: z.string().trim().min(1).max(2000).optional().describe('why, for the audit trail') })
      .strict(),
    output: deploySwitchResultSchema,
    cli: { path: ['deploy', 'rollback'], positionals: ['name'], help: 'serve the previous version again: NAME [--reason TEXT]' },
  }),
  'deploy.check': defineOp({
    kind: 'command',
    summary: "Run a deployment's monitoring check now (the scheduler runs it on the policy's cron)",
    input: z.object({ name: deploymentName }).strict(),
    output: monitorCheckSchema,
    cli: { path: ['deploy', 'check'], positionals: ['name'], help: 'run the monitoring check now: NAME' },
  }),
  'deploy.checks': defineOp({
    kind: 'query',
    summary: "A deployment's monitoring checks, newest first (the drift timeline)",
    input: z
      .object({ name: deploymentName, replay: z.string().optional(), limit: z.number().int().min(1).max(5000).default(200) })
      .strict(),
    output: z.array(monitorCheckSchema),
    cli: { path: ['deploy', 'checks'], positionals: ['name'], help: "a deployment's checks: NAME [--limit N]" },
  }),
  'deploy.predictions': defineOp({
    kind: 'query',
    summary: "A deployment's prediction log with outcomes joined where known, newest first",
    input: z
      .object({ name: deploymentName, replay: z.string().optional(), limit: z.number().int().min(1).max(100_000).default(500) })
      .strict(),
    output: z.array(loggedPredictionSchema),
    cli: { path: ['deploy', 'predictions'], positionals: ['name'], help: "a deployment's prediction log: NAME [--limit N]" },
  }),
  'deploy.alerts': defineOp({
    kind: 'query',
    summary: 'Alerts, newest first: firing and resolved, of one deployment or all',
    input: z
      .object({
        name: deploymentName.optional(),
        replay: z.string().optional(),
        status: z.enum(['firing', 'resolved']).optional(),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    output: z.array(alertSchema),
    cli: { path: ['deploy', 'alerts'], help: 'alerts: [--name D] [--status firing]' },
  }),
  'deploy.alerts.ack': defineOp({
    kind: 'command',
    summary: 'Acknowledge an alert (recorded with the configured user)',
    input: z.object({ id: z.string().min(1), replay: z.string().optional().describe("a replay's alert: the replay id") }).strict(),
    output: alertSchema,
    cli: { path: ['deploy', 'ack'], positionals: ['id'], help: 'acknowledge an alert: ID' },
  }),
  'deploy.retrain': defineOp({
    kind: 'job',
    summary:
      "Retrain a deployment's model now (manual trigger): train a challenger before the comparison window, compare it out of sample with the served model, and register and promote it as far as the policy's autoPromote allows when it is better",
    input: z
      .object({
        name: deploymentName,
        challenger: z
          .string()
          .min(1)
          .max(120)
          .optional()
          .describe('compare this trained model instead of training one (refused when it saw the comparison window)'),
      })
      .strict(),
    output: jobSchema,
    result: retrainRecordSchema,
    cli: { path: ['deploy', 'retrain'], positionals: ['name'], help: 'retrain a deployment now: NAME [--challenger MODEL]' },
  }),
  'deploy.history': defineOp({
    kind: 'query',
    summary: "A deployment's retrainings, newest first: trigger, reason, data windows, comparison with its interval, decision and why",
    input: z.object({ name: deploymentName, replay: z.string().optional(), limit: z.number().int().min(1).max(5000).default(50) }).strict(),
    output: retrainHistorySchema,
    cli: { path: ['deploy', 'history'], positionals: ['name'], help: "a deployment's retraining history: NAME [--replay ID] [--limit N]" },
  }),
  'deploy.replay': defineOp({
    kind: 'job',
    summary:
      'Replay a past season day by day with a model: predictions, outcomes, monitoring checks and alerts as they would have happened',
    input: z
      .object({
        model: z.string().min(1).describe('a trained model (or NAME:VERSION of the registry)'),
        season: z.number().int().min(1871).max(2100),
        from: isoDate.optional(),
        to: isoDate.optional(),
        ...policySources,
        challenger: z
          .string()
          .min(1)
          .max(120)
          .optional()
          .describe(
            'run an A/B experiment of this model (NAME[:VERSION] or a trained model) against --model; the experiment flags apply only with it',
          ),
        ...experimentOptionsSchema.shape,
      })
      .strict(),
    output: jobSchema,
    result: replayResultSchema,
    cli: {
      path: ['deploy', 'replay'],
      help: 'replay a season: --model NAME --season 2016 [--from DATE --to DATE] [--policy FILE] [--challenger MODEL [--split 80/20] [--canary]]',
      files: ['policy'],
    },
  }),
};

import { z } from 'zod';
import { defineOp } from '../defineOp';
import {
  experimentOptionsSchema,
  experimentPromoteResultSchema,
  experimentSchema,
  experimentStatusResultSchema,
} from '../../../shared/results/experiments';

/** An experiment name: letters, digits, _ . - (it is also the routing hash's salt, so a client can reproduce the split). */
export const experimentName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'an experiment name uses letters, digits, _ . -');

/** NAME[:VERSION]: a registry version, or a trained model by name. */
const challengerRef = z.string().min(1).max(120);
const reason = z.string().trim().min(1).max(2000).optional().describe('why, kept with the experiment and in the audit trail');
const replay = z.string().optional().describe("a replay's experiment: the replay id");

export const abOps = {
  'ab.start': defineOp({
    kind: 'command',
    summary:
      "Start an A/B experiment on a deployment: both models score every game, each game's variant is a hash of (experiment, game), the routed variant's bet is placed",
    input: z
      .object({
        deployment: z.string().min(1).max(100).describe('the deployment whose model is the control'),
        challenger: challengerRef.describe('NAME[:VERSION] of the registry, or a trained model'),
        name: experimentName.optional().describe('the experiment name (default: CHALLENGER-vs-CONTROL)'),
        ...experimentOptionsSchema.shape,
      })
      .strict(),
    output: experimentSchema,
    cli: {
      path: ['ab', 'start'],
      help: 'start an experiment: --deployment D --challenger MODEL[:VERSION] [--split 80/20] [--metric logLoss] [--guardrails roi,calibration] [--canary]',
    },
  }),
  'ab.list': defineOp({
    kind: 'query',
    summary: 'Experiments, newest first: running ones, or all with --all',
    input: z
      .object({
        deployment: z.string().min(1).max(100).optional().describe("only this deployment's experiments"),
        all: z.boolean().default(false).describe('include ended experiments'),
        replay,
      })
      .strict(),
    output: z.array(experimentSchema),
    cli: { path: ['ab', 'list'], help: 'list experiments [--deployment D] [--all]' },
  }),
  'ab.status': defineOp({
    kind: 'query',
    summary:
      'An experiment now: per-variant metrics with intervals, routed and paired analyses with power, the sequential boundary by day, probability to beat, SRM, ramp, and whether stop / promote / rollback are allowed',
    input: z.object({ name: experimentName, replay }).strict(),
    output: experimentStatusResultSchema,
    cli: { path: ['ab', 'status'], positionals: ['name'], help: "an experiment's analysis: NAME [--replay ID]" },
  }),
  'ab.stop': defineOp({
    kind: 'command',
    summary: 'Stop an experiment without a decision: from now on the deployment serves and bets control only',
    input: z.object({ name: experimentName, reason }).strict(),
    output: experimentSchema,
    cli: { path: ['ab', 'stop'], positionals: ['name'], help: 'stop an experiment: NAME [--reason TEXT]' },
  }),
  'ab.promote': defineOp({
    kind: 'command',
    summary:
      "Promote an experiment's challenger to production through the registry's gates (validation, approval); the deployment serves it when it is a version of the deployment's registry name",
    input: z.object({ name: experimentName, reason }).strict(),
    output: experimentPromoteResultSchema,
    cli: { path: ['ab', 'promote'], positionals: ['name'], help: 'promote the challenger: NAME [--reason TEXT]' },
  }),
  'ab.rollback': defineOp({
    kind: 'command',
    summary:
      'Roll an experiment back: a running one routes the challenger 0% at once; a promoted one restores the previous production version through the registry',
    input: z.object({ name: experimentName, reason }).strict(),
    output: experimentSchema,
    cli: { path: ['ab', 'rollback'], positionals: ['name'], help: 'roll back an experiment: NAME [--reason TEXT]' },
  }),
};

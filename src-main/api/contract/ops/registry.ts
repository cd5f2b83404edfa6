import { z } from 'zod';
import { defineOp } from '../defineOp';
import { modelNameSchema } from '../../../shared/modelName';
import {
  auditEntrySchema,
  auditVerificationSchema,
  gatedStageSchema,
  promotionGateSchema,
  registryNameSchema,
  registryRefSchema,
  registryVersionSchema,
  rollbackGateSchema,
} from '../../../shared/registry';
import { modelStageSchema } from '../../../shared/vocabulary';

/** `NAME` (its latest version) or `NAME:VERSION`, e.g. `champ:2`. */
const ref = registryRefSchema.describe('NAME or NAME:VERSION (NAME alone: its latest version)');
const reason = z.string().trim().min(1).max(2000).optional().describe('why, for the audit trail');
const decision = z
  .object({
    name: ref,
    stage: gatedStageSchema.describe('the stage the decision is for'),
    comment: z.string().trim().min(1).max(2000).describe('what was reviewed; kept with the decision and in the audit trail'),
  })
  .strict();

export const registryOps = {
  'registry.list': defineOp({
    kind: 'query',
    summary: 'Registered model versions: stage, validation of the training each holds, approvals',
    input: z.object({}).strict(),
    output: z.object({ versions: z.array(registryVersionSchema) }),
    cli: { path: ['registry', 'list'], help: 'list registered model versions' },
  }),
  'registry.show': defineOp({
    kind: 'query',
    summary: "One registered model's versions (newest first) and what a rollback would restore",
    input: z.object({ name: registryNameSchema }).strict(),
    output: z.object({ modelName: z.string(), versions: z.array(registryVersionSchema), rollback: rollbackGateSchema }),
    cli: { path: ['registry', 'show'], positionals: ['name'], help: "show a registered model's versions: NAME" },
  }),
  'registry.register': defineOp({
    kind: 'command',
    summary: 'Register a trained model as a new development version of a registry name (default: the model name)',
    input: z
      .object({
        model: modelNameSchema.describe('the trained model (`bullpen ml models list`)'),
        as: registryNameSchema.optional().describe('the registry name (default: the model name)'),
      })
      .strict(),
    output: registryVersionSchema,
    cli: { path: ['registry', 'register'], positionals: ['model'], help: 'register a trained model: MODEL [--as NAME]' },
  }),
  'registry.approve': defineOp({
    kind: 'command',
    summary: 'Approve a version for staging or production (you, as the settings name you, are the approver)',
    input: decision,
    output: registryVersionSchema,
    cli: {
      path: ['registry', 'approve'],
      positionals: ['name'],
      help: 'approve a version for a stage: NAME[:VERSION] --stage staging|production --comment TEXT',
    },
  }),
  'registry.reject': defineOp({
    kind: 'command',
    summary: 'Reject a version for staging or production: it cannot enter that stage until approved again',
    input: decision,
    output: registryVersionSchema,
    cli: {
      path: ['registry', 'reject'],
      positionals: ['name'],
      help: 'reject a version for a stage: NAME[:VERSION] --stage staging|production --comment TEXT',
    },
  }),
  'registry.check': defineOp({
    kind: 'query',
    summary: 'May this version move to a stage now? Every gate (training, validation, approval) with its reason',
    input: z.object({ name: ref, to: modelStageSchema }).strict(),
    output: promotionGateSchema,
    cli: {
      path: ['registry', 'check'],
      positionals: ['name'],
      help: 'may a version be promoted? NAME[:VERSION] --to staging|production (exit 1 when not)',
      negative: (answer) => {
        const r = promotionGateSchema.safeParse(answer);
        return r.success && !r.data.allowed ? r.data.reason : null;
      },
    },
  }),
  'registry.promote': defineOp({
    kind: 'command',
    summary:
      'Move a version to a stage. Staging and production need a passing, current validation and an approval for that stage (exit 1 with the reason otherwise); a new production version archives the previous one',
    input: z.object({ name: ref, to: modelStageSchema, reason }).strict(),
    output: registryVersionSchema,
    cli: {
      path: ['registry', 'promote'],
      positionals: ['name'],
      help: 'promote a version: NAME[:VERSION] --to staging|production|archived [--reason TEXT]; exit 1 when a gate blocks it',
    },
  }),
  'registry.rollback': defineOp({
    kind: 'command',
    summary: 'Restore the previous production version in one step; the current one is archived',
    input: z.object({ name: registryNameSchema, reason }).strict(),
    output: registryVersionSchema,
    cli: { path: ['registry', 'rollback'], positionals: ['name'], help: 'restore the previous production version: NAME [--reason TEXT]' },
  }),
  'registry.archive': defineOp({
    kind: 'command',
    summary: 'Retire a version (an archived production version stays available to rollback)',
    input: z
      .object({ name: registryRefSchema.describe('NAME:VERSION, or NAME when only one of its versions is not archived'), reason })
      .strict(),
    output: registryVersionSchema,
    cli: { path: ['registry', 'archive'], positionals: ['name'], help: 'archive a version: NAME[:VERSION] [--reason TEXT]' },
  }),
  'registry.audit': defineOp({
    kind: 'query',
    summary:
      'The audit trail of registry changes, oldest first; --verify checks its hash chain (exit 1 and the first bad entry when broken)',
    input: z
      .object({
        name: registryNameSchema.optional().describe("one registered model's entries"),
        verify: z.boolean().default(false).describe('check the whole hash chain and that the registry matches it'),
      })
      .strict(),
    output: z.object({ entries: z.array(auditEntrySchema), verification: auditVerificationSchema.nullable() }),
    cli: {
      path: ['registry', 'audit'],
      positionals: ['name'],
      help: 'show the audit trail: [NAME] [--verify]; with --verify, exit 1 when the chain is broken',
      negative: (answer) => {
        const v = z.object({ verification: auditVerificationSchema.nullable() }).safeParse(answer);
        const bad = v.success ? v.data.verification?.firstBad : null;
        return bad ? `the audit trail is broken at entry ${bad.seq}: ${bad.reason}` : null;
      },
    },
  }),
};

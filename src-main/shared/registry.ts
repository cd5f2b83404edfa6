import { z } from 'zod';
import { MODEL_NAME_PATTERN, MODEL_NAME_RULE } from './modelName';
import { modelStageSchema } from './vocabulary';

/**
 * The model registry's JSON, declared once for the contract, the engine (registry/registryService.ts
 * checks its types against these at compile time in the handlers) and the UI. Keys follow
 * docs/CONVENTIONS.md: modelName, version, stage, status.
 */

/** Stages that need an approval (and a passing, current validation) to enter. */
export const gatedStages = ['staging', 'production'] as const;
export const gatedStageSchema = z.enum(gatedStages);
export type GatedStage = (typeof gatedStages)[number];

export const approvalDecisions = ['approved', 'rejected'] as const;

export const approvalSchema = z.object({
  actor: z.string(),
  stage: gatedStageSchema,
  decision: z.enum(approvalDecisions),
  comment: z.string(),
  at: z.string(),
});

export const registryVersionSchema = z.object({
  modelName: z.string(),
  version: z.number().int().min(1),
  stage: modelStageSchema,
  sourceModel: z.string(),
  runId: z.string(),
  registeredAt: z.string(),
  stageChangedAt: z.string(),
  approvals: z.array(approvalSchema),
  validation: z.object({ status: z.enum(['passed', 'failed']), at: z.string() }).nullable(),
});
export type RegistryVersionJson = z.output<typeof registryVersionSchema>;

/** `experiment`: an A/B experiment's circuit breaker or rollback routed a challenger 0% (recorded by the experiments engine). */
export const auditActions = ['register', 'approve', 'reject', 'promote', 'rollback', 'archive', 'export', 'experiment'] as const;
export const auditActionSchema = z.enum(auditActions);
export type AuditAction = (typeof auditActions)[number];

export const auditEntrySchema = z.object({
  seq: z.number().int().min(1),
  at: z.string(),
  actor: z.string(),
  action: auditActionSchema,
  modelName: z.string(),
  version: z.number().int().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  reason: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});

export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  firstBad: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
});

/** One gate of a stage move, with the sentence the user reads. */
const gateCheckSchema = z.object({ passed: z.boolean(), reason: z.string() });

/** Whether a version may move to a stage now, and every reason it may not (what `promote` would refuse with). */
export const promotionGateSchema = z.object({
  modelName: z.string(),
  version: z.number().int(),
  from: modelStageSchema,
  to: modelStageSchema,
  allowed: z.boolean(),
  reason: z.string(),
  /** The trained model this version holds is still the one validations judge (not retrained since). */
  training: gateCheckSchema,
  validation: gateCheckSchema,
  approval: gateCheckSchema,
});
export type PromotionGate = z.output<typeof promotionGateSchema>;

/** Which version `rollback` would restore, or why nothing can be restored. */
export const rollbackGateSchema = z.object({
  modelName: z.string(),
  allowed: z.boolean(),
  reason: z.string(),
  /** The production version now (archived by the rollback), if any. */
  from: z.number().int().nullable(),
  /** The version the rollback restores to production. */
  to: z.number().int().nullable(),
});
export type RollbackGate = z.output<typeof rollbackGateSchema>;

/** A registry name follows the model-name rule, so `NAME:VERSION` is never ambiguous (names have no colon). */
export const registryNameSchema = z.string().regex(MODEL_NAME_PATTERN, `a registry name ${MODEL_NAME_RULE}`);

/** The model-name pattern without its anchors, then an optional `:VERSION`. */
const REF_PATTERN = new RegExp(`^(${MODEL_NAME_PATTERN.source.replace(/^\^|\$$/g, '')})(?::([1-9][0-9]{0,8}))?$`);

/**
 * `NAME` or `NAME:VERSION` (`champ:2`), as the CLI and HTTP send it; parsed into the name and the
 * version (undefined: the op's default version, the latest for changes).
 */
export const registryRefSchema = z
  .string()
  .regex(REF_PATTERN, `NAME or NAME:VERSION, where NAME ${MODEL_NAME_RULE} and VERSION is a positive whole number`)
  .transform((text) => {
    const m = REF_PATTERN.exec(text);
    return { name: m?.[1] ?? text, version: m?.[2] === undefined ? undefined : Number(m[2]) };
  });

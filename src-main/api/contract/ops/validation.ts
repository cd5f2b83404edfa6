import { z } from 'zod';
import { defineOp } from '../defineOp';
import { jobSchema } from '../../../shared/events';
import { validateResultSchema, validationRecordSchema, validationReportSchema } from '../../../shared/results';
import { validationPolicySchema } from '../../../shared/validationPolicy';
import { modelStages } from '../../../shared/vocabulary';
import { optionalRunName, seasonsText } from './modelingFields';

/** A validation by its run id (or a unique prefix), or the latest one of a model. */
const validationRef = z
  .object({
    id: z.string().min(1).optional().describe('validation run id (or a unique prefix of at least 6 characters)'),
    model: z.string().min(1).optional().describe("the model's latest validation"),
  })
  .strict()
  .refine((v) => (v.id === undefined) !== (v.model === undefined), { message: 'give --id RUN_ID or --model NAME (one of them)' });

export const validationOps = {
  'ml.validate': defineOp({
    kind: 'job',
    summary:
      'Validate a model against the gates of a policy, from out-of-sample predictions and a backtest against stored odds (exit 1 when a gate fails)',
    input: z
      .object({
        model: z.string().min(1),
        policy: z.string().min(1).optional().describe("a policy file (YAML or JSON) instead of the workspace's policy"),
        seasons: seasonsText
          .optional()
          .describe('evaluation window (default: the seasons after the model was trained; none: walk-forward out-of-fold predictions)'),
        out: z.string().min(1).optional().describe('also write the HTML report here'),
        name: optionalRunName,
      })
      .strict(),
    output: jobSchema,
    result: validateResultSchema,
    cli: {
      path: ['ml', 'validate'],
      help: 'validate a model: --model NAME [--policy FILE] [--seasons 2016] [--out report.html]; exit 1 when a gate fails',
      files: ['policy', 'out'],
      negative: (answer) => {
        const r = validateResultSchema.safeParse(answer);
        if (!r.success || r.data.report.status === 'passed') return null;
        const failed = r.data.report.gates.filter((g) => !g.passed).map((g) => g.name);
        return `validation of ${r.data.report.modelName} failed: ${failed.join(', ')} (see the report: bullpen ml validations show --id ${r.data.runId.slice(0, 8)})`;
      },
    },
  }),
  'ml.validations.list': defineOp({
    kind: 'query',
    summary: "Validations, newest first: a model's, or every model's",
    input: z.object({ model: z.string().min(1).optional(), limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    output: z.array(validationRecordSchema),
    cli: { path: ['ml', 'validations', 'list'], help: 'list validations [--model NAME]' },
  }),
  'ml.validations.show': defineOp({
    kind: 'query',
    summary: 'One validation report (JSON): by its run id, or the latest of a model',
    input: validationRef,
    output: z.object({ record: validationRecordSchema, report: validationReportSchema }),
    cli: { path: ['ml', 'validations', 'show'], help: 'show a validation report: --id RUN_ID | --model NAME' },
  }),
  'ml.validations.html': defineOp({
    kind: 'query',
    summary: 'One validation report as a self-contained HTML page; written to --out when given',
    input: z
      .object({
        id: z.string().min(1).optional(),
        model: z.string().min(1).optional(),
        out: z.string().min(1).optional().describe('write the page here instead of answering with it'),
      })
      .strict()
      .refine((v) => (v.id === undefined) !== (v.model === undefined), { message: 'give --id RUN_ID or --model NAME (one of them)' }),
    output: z.object({ runId: z.string(), html: z.string().nullable(), out: z.string().nullable() }),
    cli: {
      path: ['ml', 'validations', 'html'],
      help: 'a validation report as HTML: --id RUN_ID | --model NAME [--out report.html]',
      files: ['out'],
    },
  }),
  'ml.policy.get': defineOp({
    kind: 'query',
    summary: "The workspace's validation policy: as YAML text (comments kept) and parsed, with its defaults filled in",
    input: z.object({}).strict(),
    output: z.object({ text: z.string(), policy: validationPolicySchema, isDefault: z.boolean() }),
    cli: { path: ['ml', 'policy', 'show'], help: "show the workspace's validation policy" },
  }),
  'ml.policy.set': defineOp({
    kind: 'command',
    summary: "Replace the workspace's validation policy (YAML or JSON text, or a file); a bad policy is refused and nothing changes",
    input: z
      .object({
        text: z.string().max(100_000).optional().describe('the policy as YAML or JSON'),
        file: z.string().min(1).optional().describe('a policy file (YAML or JSON)'),
        reset: z.boolean().default(false).describe('go back to the default policy'),
      })
      .strict(),
    output: z.object({ text: z.string(), policy: validationPolicySchema, isDefault: z.boolean() }),
    cli: { path: ['ml', 'policy', 'set'], help: 'set the validation policy: --file policy.yaml | --text YAML | --reset', files: ['file'] },
  }),
  'ml.promotion.check': defineOp({
    kind: 'query',
    summary: 'May this model be promoted to a stage? No when its latest validation failed, is missing, or is older than its training',
    input: z.object({ model: z.string().min(1), stage: z.enum(modelStages) }).strict(),
    output: z.object({
      model: z.string(),
      stage: z.enum(modelStages),
      allowed: z.boolean(),
      reason: z.string(),
      validation: validationRecordSchema.nullable(),
    }),
    cli: {
      path: ['ml', 'promotion', 'check'],
      help: 'may a model be promoted? --model NAME --stage staging|production (exit 1 when not)',
      negative: (answer) => {
        const r = z.object({ allowed: z.boolean(), reason: z.string() }).safeParse(answer);
        return r.success && !r.data.allowed ? r.data.reason : null;
      },
    },
  }),
};

import { z } from 'zod';
import { defineOp } from '../defineOp';
import { jobSchema } from '../../../shared/events';
import { exportMlflowResultSchema } from '../../../shared/results';

export const exportOps = {
  'export.mlflow': defineOp({
    kind: 'job',
    summary:
      'Export to MLflow: a model (its training run, the validation report, a lightgbm-flavour model and a registered version with stage aliases), or a sweep (a parent run with one nested run per trial)',
    input: z
      .object({
        model: z
          .string()
          .min(1)
          .max(120)
          .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*(:\d+)?$/, 'give NAME or NAME:VERSION')
          .optional()
          .describe('NAME[:VERSION]: a registry version (NAME alone: its production version, else the latest), or a trained model'),
        sweep: z
          .string()
          .min(1)
          .max(200)
          .optional()
          .describe('a sweep (id, id prefix or name): a parent run with one nested run per trial, instead of --model'),
        trackingUri: z
          .string()
          .url()
          .optional()
          .describe('the MLflow server (default: the mlflow.trackingUri setting, else MLFLOW_TRACKING_URI)'),
        registeredName: z
          .string()
          .min(1)
          .max(256)
          .optional()
          .describe('the registered model name in MLflow (default: the model name; --model only)'),
        experiment: z.string().min(1).max(200).optional().describe('the MLflow experiment (default: the mlflow.experiment setting)'),
      })
      .strict(),
    output: jobSchema,
    result: exportMlflowResultSchema,
    cli: {
      path: ['export', 'mlflow'],
      help: 'export to MLflow: --model NAME[:VERSION] [--registered-name NAME] | --sweep ID; [--tracking-uri URI] [--experiment NAME] (credentials: MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN)',
    },
  }),
};

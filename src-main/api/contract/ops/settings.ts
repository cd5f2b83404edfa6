import { z } from 'zod';
import { defineOp } from '../defineOp';
import { settingsSchema } from '../../../shared/settings';

const settingsOutput = settingsSchema.extend({ actor: z.string().describe('the name approvals and audit entries carry now') });

export const settingsOps = {
  'settings.get': defineOp({
    kind: 'query',
    summary: "The workspace's settings (who you are, where MLflow is) and the actor name in effect",
    input: z.object({}).strict(),
    output: settingsOutput,
    cli: { path: ['settings', 'show'], help: 'show the settings' },
  }),
  'settings.set': defineOp({
    kind: 'command',
    summary: 'Change settings; a bad value is refused and nothing changes (MLflow credentials stay in the environment)',
    input: z
      .object({
        user: z.string().min(1).max(100).optional().describe('your name on approvals and audit entries'),
        mlflow: z
          .object({
            trackingUri: z.string().url().optional(),
            experiment: z.string().min(1).max(200).optional(),
            exportOnPromotion: z.boolean().optional(),
          })
          .strict()
          .optional()
          .describe('MLflow settings as JSON, e.g. {"trackingUri":"http://127.0.0.1:5000"}'),
        operations: z
          .object({ checksInTray: z.boolean().optional() })
          .strict()
          .optional()
          .describe(
            'operations settings as JSON, e.g. {"checksInTray":true}: the desktop app keeps running checks while closed to the tray',
          ),
      })
      .strict(),
    output: settingsOutput,
    cli: { path: ['settings', 'set'], help: 'change settings: --user NAME --mlflow JSON --operations JSON' },
  }),
};

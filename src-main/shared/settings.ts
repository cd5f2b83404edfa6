import { z } from 'zod';

/**
 * Workspace settings a user changes rarely: who they are (approvals and the audit trail name them) and
 * where MLflow is. Credentials are never settings: they come from the environment (MLFLOW_TRACKING_*),
 * so they are neither stored in the workspace nor shown in the UI.
 */
export const settingsSchema = z
  .object({
    /** The actor named on approvals and audit entries; default: BULLPEN_USER, else the OS user name. */
    user: z.string().min(1).max(100).optional(),
    mlflow: z
      .object({
        /** Default: MLFLOW_TRACKING_URI. */
        trackingUri: z.string().url().optional(),
        experiment: z.string().min(1).max(200).default('bullpen'),
        /** Export a version to MLflow when it is promoted to staging or production. */
        exportOnPromotion: z.boolean().default(false),
      })
      .strict()
      .default({ experiment: 'bullpen', exportOnPromotion: false }),
    operations: z
      .object({
        /**
         * The desktop app keeps running deployments' scheduled checks while its window is closed to the tray.
         * Off by default: closing the window then quits, and a check missed meanwhile is caught up once at the next start.
         */
        checksInTray: z.boolean().default(false),
      })
      .strict()
      .default({ checksInTray: false }),
  })
  .strict();
export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

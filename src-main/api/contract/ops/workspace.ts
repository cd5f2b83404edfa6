import { z } from 'zod';
import { defineOp } from '../defineOp';

export const tableCountSchema = z.object({ name: z.string(), rows: z.number().int() });

export const workspaceOps = {
  'workspace.info': defineOp({
    kind: 'query',
    summary: 'Where the workspace is, its schema version and the row count of every table',
    input: z.object({}).strict(),
    output: z.object({
      path: z.string(),
      schemaVersion: z.number().int(),
      latestSchemaVersion: z.number().int(),
      synthetic: z.boolean(),
      tables: z.array(tableCountSchema),
      engine: z.object({ pid: z.number().int(), startedAt: z.string(), restarts: z.number().int() }),
    }),
    cli: { path: ['workspace', 'info'], help: 'show the workspace path, schema version and table counts' },
  }),
};

import { latestSchemaVersion } from '../../engine/workspace/migrations';
import type { workspaceOps } from '../contract/ops/workspace';
import type { HandlersFor } from './handler';

export const workspaceHandlers: HandlersFor<keyof typeof workspaceOps> = {
  'workspace.info': async (_input, engine) => ({
    path: engine.workspace.path,
    schemaVersion: await engine.workspace.schemaVersion(),
    latestSchemaVersion: latestSchemaVersion(),
    synthetic: await engine.data.synthetic(),
    tables: await engine.workspace.tableCounts(),
    engine: engine.info,
  }),
};

import type { RegistryService, StageChange } from '../../registry/registryService';
import type { RunService } from '../../tracking/runService';
import { exportRecords } from './exportRecord';
import { MlflowApi } from './mlflowApi';
import { MlflowHttp, type MlflowHttpOptions } from './mlflowHttp';
import { applyStageAliases } from './stageAliases';
import { resolveTrackingConfig } from './trackingConfig';
import { approvalsText, VERSION_TAGS } from './versionTags';

export interface SyncAliasesDeps {
  registry: Pick<RegistryService, 'version'>;
  runs: Pick<RunService, 'get'>;
}

export interface SyncedVersion {
  trackingUri: string;
  registeredModel: string;
  modelVersion: string;
  aliases: string[];
  set: string[];
  removed: string[];
}

/**
 * Mirrors a local stage move in MLflow for every export of that registry version: the model version's
 * `stage` and `approvals` tags follow, the new stage's alias moves to it (production → champion, staging →
 * challenger) and the aliases of the stage it left are removed from it. A version never exported answers
 * with nothing to do. MLflow failures throw (external); the registry's move is already committed and stays.
 * The lead wires this to `registry.onStageChange` when the mlflow.exportOnPromotion setting is on.
 */
export async function syncAliases(
  deps: SyncAliasesDeps,
  change: StageChange,
  options: { http?: MlflowHttpOptions; env?: NodeJS.ProcessEnv } = {},
): Promise<{ synced: SyncedVersion[] }> {
  const version = await deps.registry.version(change.modelName, change.version);
  const run = await deps.runs.get(version.runId);
  const records = exportRecords(run.tags).filter((r) => r.registryName === change.modelName && r.registryVersion === change.version);
  const synced: SyncedVersion[] = [];
  for (const record of records) {
    const http = new MlflowHttp(resolveTrackingConfig({ input: record.trackingUri }, options.env), options.http);
    try {
      const api = new MlflowApi(http);
      const current = await api.getModelVersion(record.registeredModel, record.modelVersion);
      // Deleted in MLflow since it was exported: nothing left to move.
      if (!current) continue;
      const approvals = approvalsText(version.approvals);
      for (const [key, value] of [
        [VERSION_TAGS.stage, change.to],
        [VERSION_TAGS.approvals, approvals],
      ] as const)
        if (current.tags.find((t) => t.key === key)?.value !== value)
          await api.setModelVersionTag(current.name, current.version, key, value);
      const moved = await applyStageAliases(api, current.name, current.version, change.to);
      synced.push({ trackingUri: record.trackingUri, registeredModel: current.name, modelVersion: current.version, ...moved });
    } finally {
      await http.close();
    }
  }
  return { synced };
}

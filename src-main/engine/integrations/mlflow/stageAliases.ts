import type { ModelStage } from '../../../shared/vocabulary';
import { isValidAliasName } from './keyNames';
import type { MlflowApi } from './mlflowApi';

/** The MLflow alias each stage maps to (stage transitions are deprecated in MLflow since 2.9: aliases replace them). */
export const STAGE_ALIASES: Partial<Record<ModelStage, string>> = { production: 'champion', staging: 'challenger' };

for (const alias of Object.values(STAGE_ALIASES))
  if (!alias || !isValidAliasName(alias)) throw new Error(`stage alias ${alias} breaks MLflow's alias rules`);

export const aliasForStage = (stage: ModelStage | null): string | null => (stage ? (STAGE_ALIASES[stage] ?? null) : null);

/**
 * Makes the stage aliases of one MLflow model version match its Bullpen stage: sets the stage's alias
 * (MLflow moves it from whichever version held it) and removes the other stage aliases that still point
 * at this version. Aliases on other versions are left alone. Answers with what changed.
 */
export async function applyStageAliases(
  api: MlflowApi,
  registeredModel: string,
  version: string,
  stage: ModelStage | null,
): Promise<{ aliases: string[]; set: string[]; removed: string[] }> {
  const wanted = aliasForStage(stage);
  const current = (await api.registeredModel(registeredModel))?.aliases ?? [];
  const set: string[] = [];
  const removed: string[] = [];
  for (const alias of Object.values(STAGE_ALIASES)) {
    if (!alias || alias === wanted) continue;
    if (current.some((a) => a.alias === alias && a.version === version)) {
      await api.deleteAlias(registeredModel, alias);
      removed.push(alias);
    }
  }
  if (wanted && !current.some((a) => a.alias === wanted && a.version === version)) {
    await api.setAlias(registeredModel, wanted, version);
    set.push(wanted);
  }
  const aliases = [
    ...current.filter((a) => a.version === version && !removed.includes(a.alias)).map((a) => a.alias),
    ...set.filter((a) => !current.some((c) => c.alias === a && c.version === version)),
  ];
  return { aliases: [...new Set(aliases)].sort(), set, removed };
}

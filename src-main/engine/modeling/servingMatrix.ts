import { inputError } from '../../shared/errors';
import { loadFeatureMatrix, type FeatureMatrix, type Target } from './featureMatrix';
import type { StoredModel } from '../tracking/modelService';
import type { Workspace } from '../workspace/workspace';

/**
 * The matrix a stored model scores: its own feature set for the given seasons, refused when the set's
 * features or versions are no longer the ones the model was trained on (a model is always served the
 * exact versions it learned from).
 */
export async function servingMatrix(
  ws: Workspace,
  model: StoredModel,
  seasons: number[],
  includeUnlabeled: boolean,
): Promise<FeatureMatrix> {
  const m = await loadFeatureMatrix(ws, { set: model.featureSet, target: model.target as Target, seasons, includeUnlabeled });
  const want = model.featureVersions.map((f) => `${f.name}@${f.version}`).join(',');
  const have = m.featureVersions.map((f) => `${f.name}@${f.version}`).join(',');
  if (want !== have || m.featureNames.join(',') !== model.featureNames.join(',')) {
    throw inputError(
      'MODEL_FEATURES_CHANGED',
      `feature set ${model.featureSet} changed since model ${model.name} was trained (it learned ${want}; the set is now ${have}): roll the features back or train a new model`,
      { model: model.name, trained: model.featureVersions, current: m.featureVersions },
    );
  }
  return m;
}

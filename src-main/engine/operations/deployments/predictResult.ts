import type { z } from 'zod';
import type { deployPredictResultSchema } from '../../../shared/results/operations';
import type { DeploymentService, PredictionVia, Scope } from '../operationsTypes';

/** `deploy.predict`'s answer (and POST /api/v1/predict's): the games scored and logged, the ones not scored and why, and what served them. */
export async function predictResult(
  deployments: DeploymentService,
  name: string,
  games: { date: string | null; upcoming: boolean; gameIds?: string[] },
  via: PredictionVia,
  scope: Scope,
): Promise<z.input<typeof deployPredictResultSchema>> {
  const { predictions, unscored } = await deployments.predict(name, games, via, scope);
  const dep = await deployments.get(name, scope);
  return { deployment: dep.name, modelName: dep.modelName, version: dep.version, predictions, unscored };
}

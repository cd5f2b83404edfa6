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
  // The binding predict scored with, not a second read: a switch between two reads would name the other version.
  const { predictions, unscored, served } = await deployments.predict(name, games, via, scope);
  return { deployment: served.name, modelName: served.modelName, version: served.version, predictions, unscored };
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { deploymentName, predictGameIds } from '../contract/ops/deploy';
import { BullpenError, validationError } from '../../shared/errors';
import type { Caller } from '../../shared/caller';
import { isoDate } from '../../shared/results/numbers';
import type { Transport } from '../client/transport';

export const PREDICT_PATH = '/api/v1/predict';

/**
 * The body other tools on the team send: a deployment, and a date's games or a list of game ids (neither:
 * the upcoming games). Strict, so a misspelt field is refused by name instead of being ignored.
 */
export const predictBodySchema = z
  .object({
    deployment: deploymentName,
    gameIds: predictGameIds.optional(),
    date: isoDate.optional(),
  })
  .strict()
  .refine((b) => b.gameIds === undefined || b.date === undefined, { message: 'give date or gameIds, not both', path: ['gameIds'] });

/**
 * `POST /api/v1/predict`: a stable URL for scripts, answered by the `deploy.predict` op with `via: api`
 * on every log row. It sits under /api, so the server's token, Host, Origin, body-size and JSON-depth
 * checks run before it as for every op; the body is validated here so a 400 names this body's fields.
 */
export function registerPredictRoute(app: FastifyInstance, transport: Transport, callerOf: (req: FastifyRequest) => Caller): void {
  app.post(PREDICT_PATH, async (req, reply) => {
    const body = predictBodySchema.safeParse(req.body ?? {});
    if (!body.success) throw validationError(`POST ${PREDICT_PATH}`, body.error);
    const { deployment, gameIds, date } = body.data;
    const which = date !== undefined ? { date } : gameIds !== undefined ? { gameIds } : { upcoming: true };
    const result = await transport.call('deploy.predict', { name: deployment, ...which, via: 'api' }, callerOf(req));
    if (result.ok) return reply.code(200).send(result.output);
    return reply.code(BullpenError.fromBody({ error: result.error }).httpStatus).send({ error: result.error });
  });
}

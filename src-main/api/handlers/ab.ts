import { liveClock } from '../../engine/operations/clock';
import type { Scope } from '../../engine/operations/operationsTypes';
import type { abOps } from '../contract/ops/ab';
import type { HandlersFor } from './handler';

/** Live ops read the wall clock; a read of a replay's experiment (`--replay ID`) reads it under that replay's id. */
const scopeOf = (input: { replay?: string }): Scope => ({ replayId: input.replay ?? null, clock: liveClock });
const LIVE: Scope = { replayId: null, clock: liveClock };

export const abHandlers: HandlersFor<keyof typeof abOps> = {
  'ab.start': async (input, engine) => {
    const { deployment, challenger, name, ...options } = input;
    return engine.experiments.start({ deployment, challenger, ...(name !== undefined ? { name } : {}), options }, LIVE);
  },
  'ab.list': async (input, engine) => engine.experiments.list({ deployment: input.deployment, all: input.all }, scopeOf(input)),
  'ab.status': async (input, engine) => engine.experiments.status(input.name, scopeOf(input)),
  'ab.stop': async (input, engine) => engine.experiments.stop(input.name, input.reason, await engine.settings.actor(), LIVE),
  'ab.promote': async (input, engine) => engine.experiments.promote(input.name, input.reason, await engine.settings.actor(), LIVE),
  'ab.rollback': async (input, engine) => engine.experiments.rollback(input.name, input.reason, await engine.settings.actor(), LIVE),
};

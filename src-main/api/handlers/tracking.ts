import type { trackingOps } from '../contract/ops/tracking';
import type { HandlersFor } from './handler';

/** `--set note=baseline`: the key is everything before the first `=` (the contract checks there is one). */
const tagPairs = (list: string[]): Record<string, string> =>
  Object.fromEntries(list.map((t) => [t.slice(0, t.indexOf('=')).trim(), t.slice(t.indexOf('=') + 1).trim()]));

export const trackingHandlers: HandlersFor<keyof typeof trackingOps> = {
  'ml.runs.list': async (input, engine) => ({
    runs: await engine.runs.list({
      ...(input.search ? { search: input.search } : {}),
      ...(input.kind ? { kind: input.kind } : {}),
      ...(input.status ? { status: input.status } : {}),
      filters: input.filter ?? [],
      sort: input.sort,
      order: input.order,
      topLevel: !input.children,
      limit: input.limit,
    }),
  }),
  'ml.runs.get': async (input, engine) => engine.runs.get(input.id),
  'ml.runs.tag': async (input, engine) => engine.runs.setTags(await engine.runs.resolveId(input.id), tagPairs(input.set), input.remove),
};

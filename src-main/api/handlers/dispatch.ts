import type { Engine } from '../../engine/engine';
import { contract, type OpDef } from '../contract';
import { BullpenError, notFoundError, toBullpenError, validationError } from '../../shared/errors';
import type { CallResult } from '../client/transport';
import { LOCAL_CALLER, type Caller } from '../../shared/caller';
import { handlers } from './table';

type AnyHandler = (input: unknown, engine: Engine, caller: Caller) => Promise<unknown>;

const ops = contract as Record<string, OpDef>;
const table = handlers as unknown as Record<string, AnyHandler>;

/**
 * The single entry every transport funnels into: looks the op up, validates the input against the
 * contract (a failure names the field), runs the handler for `caller`, and validates the output before
 * it leaves. In-process callers (CLI, tests, benches) are the local user. Never throws: failures come
 * back as error bodies.
 */
export async function dispatch(engine: Engine, op: string, rawInput: unknown, caller: Caller = LOCAL_CALLER): Promise<CallResult> {
  try {
    const def = Object.hasOwn(ops, op) ? ops[op] : undefined;
    const handler = Object.hasOwn(table, op) ? table[op] : undefined;
    if (!def || !handler) {
      throw notFoundError('UNKNOWN_OP', `unknown operation "${op}"`, { op, known: Object.keys(ops) });
    }
    const parsed = def.input.safeParse(rawInput === undefined ? {} : rawInput);
    if (!parsed.success) throw validationError(op, parsed.error);
    const raw = await handler(parsed.data, engine, caller);
    const out = def.output.safeParse(raw);
    if (!out.success) {
      throw new BullpenError(
        'internal',
        'INVALID_OUTPUT',
        `${op} produced output that breaks its contract: ${out.error.issues[0]?.message ?? ''}`,
        {
          op,
        },
      );
    }
    return { ok: true, output: out.data };
  } catch (err) {
    return { ok: false, error: toBullpenError(err).toBody().error };
  }
}

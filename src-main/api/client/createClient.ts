import type { Contract, InputOf, OpName, OutputOf } from '../contract';
import { BullpenError } from '../../shared/errors';
import type { EngineEvent } from '../../shared/events';
import type { Transport } from './transport';

/** A caller typed from the contract: `call('jobs.list', { limit: 5 })` gives `{ jobs: Job[] }`. */
export interface BullpenClient {
  call<N extends OpName>(op: N, input: InputOf<Contract[N]>): Promise<OutputOf<Contract[N]>>;
  onEvent(cb: (event: EngineEvent) => void): () => void;
}

/**
 * Wraps a transport so failures surface as thrown BullpenErrors (same kind, code and details as on the
 * engine side). Outputs are validated by the engine before they leave it, so the client trusts them.
 */
export function createClient(transport: Transport): BullpenClient {
  return {
    async call<N extends OpName>(op: N, input: InputOf<Contract[N]>): Promise<OutputOf<Contract[N]>> {
      const result = await transport.call(op, input);
      if (!result.ok) throw BullpenError.fromBody({ error: result.error });
      return result.output as OutputOf<Contract[N]>;
    },
    onEvent: (cb) => transport.onEvent(cb),
  };
}

import { Engine } from '../../engine/engine';
import type { Transport } from '../client/transport';
import { dispatch } from '../handlers/dispatch';
import { LOCAL_CALLER } from '../../shared/caller';

/** An engine in this process as a transport: what the CLI and the engine host use (the local user unless told). */
export function localTransport(engine: Engine): Transport {
  return {
    call: (op, input, caller = LOCAL_CALLER) => dispatch(engine, op, input, caller),
    onEvent: (cb) => engine.onEvent(cb),
  };
}

/**
 * Opens an engine in this process and hands back only its transport: how the CLI runs ops without a
 * server, without reaching into the engine layer itself.
 */
export async function openLocalEngine(workspacePath: string): Promise<{ transport: Transport; close(): Promise<void> }> {
  const engine = await Engine.open({ workspacePath });
  return { transport: localTransport(engine), close: () => engine.close() };
}

export { defaultWorkspacePath } from '../../engine/workspace/defaultPath';

import type { Caller } from '../../shared/caller';
import type { ErrorBody } from '../../shared/errors';
import type { EngineEvent } from '../../shared/events';

/** What one call answers on every transport: the output, or the error body that crossed the boundary. */
export type CallResult = { ok: true; output: unknown } | { ok: false; error: ErrorBody['error'] };

export type { Caller, CallerAccess } from '../../shared/caller';

/**
 * The one seam between a caller and the engine. HTTP, Electron IPC, the engine child process and the
 * in-process engine all implement it, so the client, the HTTP server and the CLI never care which.
 * `caller` says who asks (shared/caller.ts); transports that reach the engine directly default to the
 * local user. The HTTP transport ignores it: a server decides that from the token it was sent.
 */
export interface Transport {
  call(op: string, input: unknown, caller?: Caller): Promise<CallResult>;
  onEvent(cb: (event: EngineEvent) => void): () => void;
}

/** The object the preload script exposes as `window.bullpen` (see the IPC contract). */
export interface BullpenBridge {
  call(op: string, input: unknown): Promise<CallResult>;
  onEvent(cb: (event: EngineEvent) => void): () => void;
}

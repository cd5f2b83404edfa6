import type { Caller } from '../../shared/caller';
import type { ErrorBody } from '../../shared/errors';
import type { EngineEvent } from '../../shared/events';
import type { EngineInfo } from '../../engine/engine';
import type { CallResult } from '../client/transport';

/** Messages from the supervising process to the engine host; a call without a caller is treated as remote. */
export type HostRequest = { type: 'call'; id: number; op: string; input: unknown; caller: Caller } | { type: 'shutdown' };

/** Messages from the engine host to its supervisor. */
export type HostMessage =
  | { type: 'ready'; info: EngineInfo }
  | { type: 'fatal'; error: ErrorBody['error'] }
  | { type: 'result'; id: number; result: CallResult }
  | { type: 'event'; event: EngineEvent };

/** Environment variables the supervisor passes to the engine host. */
export const ENV_WORKSPACE = 'BULLPEN_ENGINE_WORKSPACE';
export const ENV_RESTARTS = 'BULLPEN_ENGINE_RESTARTS';
/** A JSON array of folders remote callers may write into (`bullpen serve --allow-write`). */
export const ENV_ALLOW_WRITE = 'BULLPEN_ENGINE_ALLOW_WRITE';

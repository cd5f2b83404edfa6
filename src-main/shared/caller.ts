/**
 * Who is calling an op, as far as the engine's file rules care. `local` is the person who runs Bullpen
 * on this machine (the CLI, the desktop window, a request carrying the serve owner token); `remote` is
 * anyone holding only the URL token of `bullpen serve` (the browser UI), who may read only uploaded
 * files and write only into the export folder.
 */
export type CallerAccess = 'local' | 'remote';

export interface Caller {
  access: CallerAccess;
}

export const LOCAL_CALLER: Caller = Object.freeze({ access: 'local' });
export const REMOTE_CALLER: Caller = Object.freeze({ access: 'remote' });

/** A caller read from a message that crossed a process boundary: anything but an explicit `local` is remote. */
export function callerFrom(value: unknown): Caller {
  return typeof value === 'object' && value !== null && (value as { access?: unknown }).access === 'local' ? LOCAL_CALLER : REMOTE_CALLER;
}

import { createClient, httpTransport, ipcTransport, type BullpenClient } from '../../../src-main/api/client';
import { takeToken } from './session';

/** How this window reaches the engine; chosen once at start. */
export type Connection =
  | { kind: 'ipc'; client: BullpenClient }
  | { kind: 'http'; client: BullpenClient; baseUrl: string }
  /** Serve mode opened without the token: nothing can be called, the page says how to fix it. */
  | { kind: 'missingToken' };

/**
 * The desktop preload exposes `window.bullpen`; anywhere else we are in serve mode and talk HTTP +
 * WebSocket to the origin that served the page, authenticated by the token from the launch URL.
 */
export function connect(win: Window): Connection {
  if (win.bullpen) return { kind: 'ipc', client: createClient(ipcTransport(win.bullpen)) };
  const token = takeToken({ location: win.location, history: win.history, storage: win.sessionStorage });
  if (!token) return { kind: 'missingToken' };
  const baseUrl = win.location.origin;
  return { kind: 'http', client: createClient(httpTransport({ baseUrl, token })), baseUrl };
}

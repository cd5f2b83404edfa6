import { errorBodySchema } from '../../shared/errors';
import { engineEventSchema, type EngineEvent } from '../../shared/events';
import type { CallResult, Transport } from './transport';

/** The slice of the WebSocket API the transport uses; browsers' WebSocket and the `ws` package both fit. */
export interface EventSocket {
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onopen: ((ev: unknown) => void) | null;
  close(): void;
}
export type EventSocketFactory = (url: string) => EventSocket;

export interface HttpTransportOptions {
  /** Origin of the serve process, e.g. `http://127.0.0.1:7420` (in the browser: `location.origin`). */
  baseUrl: string;
  token: string;
  /** Defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Defaults to the global WebSocket (Node 20 has none: pass one built on the `ws` package). */
  socket?: EventSocketFactory;
}

/** Delays between reconnection attempts of the event socket: quick at first, then patient. */
const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 5_000;

function failure(code: string, message: string, kind: 'external' | 'internal' = 'external'): CallResult {
  return { ok: false, error: { code, kind, message } };
}

/** Serve mode's transport: `POST /api/ops/<op>` for calls and one shared WebSocket for events. */
export function httpTransport(options: HttpTransportOptions): Transport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const listeners = new Set<(event: EngineEvent) => void>();
  let socket: EventSocket | null = null;
  let retryMs = RECONNECT_FIRST_MS;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const openSocket = (): void => {
    const factory =
      options.socket ??
      (typeof globalThis.WebSocket === 'function' ? (url: string) => new globalThis.WebSocket(url) as unknown as EventSocket : null);
    if (!factory) throw new Error('httpTransport: no WebSocket implementation; pass options.socket');
    const url = `${base.replace(/^http/, 'ws')}/api/events?token=${encodeURIComponent(options.token)}`;
    const s = factory(url);
    socket = s;
    s.onopen = () => {
      retryMs = RECONNECT_FIRST_MS;
    };
    s.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(ev.data);
      } catch {
        return; // not an event frame: ignore rather than break every listener
      }
      const event = engineEventSchema.safeParse(parsed);
      if (event.success) for (const cb of [...listeners]) cb(event.data);
    };
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      // The server restarts its engine without dropping sockets, so a close means the server went away
      // or the network blinked: keep trying while anyone still listens.
      if (listeners.size > 0) {
        retryTimer = setTimeout(() => {
          retryTimer = null;
          if (listeners.size > 0 && !socket) openSocket();
        }, retryMs);
        retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS);
      }
    };
  };

  return {
    async call(op, input) {
      let res: Response;
      try {
        res = await doFetch(`${base}/api/ops/${encodeURIComponent(op)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
          body: JSON.stringify(input ?? {}),
        });
      } catch (err) {
        return failure('SERVER_UNREACHABLE', `cannot reach Bullpen at ${base}: ${(err as Error).message}; is \`bullpen serve\` running?`);
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        return failure('BAD_RESPONSE', `Bullpen at ${base} answered ${res.status} without JSON`);
      }
      if (res.ok) return { ok: true, output: body };
      const err = errorBodySchema.safeParse(body);
      if (err.success) return { ok: false, error: err.data.error };
      return failure('BAD_RESPONSE', `Bullpen at ${base} answered ${res.status} with an unexpected body`);
    },
    onEvent(cb) {
      listeners.add(cb);
      if (!socket && !retryTimer) openSocket();
      return () => {
        listeners.delete(cb);
        if (listeners.size === 0) {
          if (retryTimer) clearTimeout(retryTimer);
          retryTimer = null;
          const s = socket;
          socket = null;
          s?.close();
        }
      };
    },
  };
}

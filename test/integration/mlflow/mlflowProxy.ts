// A pass-through HTTP proxy in front of an MLflow test server that records every request and can hold
// one (never answer it) when a test says so: the exact point at which a test kills an export.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  path: string;
}

export interface MlflowProxy {
  uri: string;
  seen: ProxiedRequest[];
  /** Resolves with the request the `hold` predicate matched, once it arrives; that request is never answered. */
  held: Promise<ProxiedRequest>;
  close(): Promise<void>;
}

export async function mlflowProxy(target: string, hold: (r: ProxiedRequest) => boolean = () => false): Promise<MlflowProxy> {
  const to = new URL(target);
  const seen: ProxiedRequest[] = [];
  const pending = new Set<IncomingMessage>();
  let markHeld!: (r: ProxiedRequest) => void;
  const held = new Promise<ProxiedRequest>((r) => (markHeld = r));
  let holding = false;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const r = { method: req.method ?? '', path: req.url ?? '' };
    seen.push(r);
    if (!holding && hold(r)) {
      holding = true;
      pending.add(req);
      markHeld(r);
      return;
    }
    // MLflow 3 checks the Host header against --allowed-hosts: speak to it as its own address.
    const upstream = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    held,
    close: async () => {
      for (const req of pending) req.socket.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

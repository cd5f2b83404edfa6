import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BullpenError } from '../../shared/errors';
import type { Transport } from '../client/transport';
import { allowedHosts } from './security';

/** What GET /metrics answers: the engine's exposition, or why there is none. */
export interface MetricsAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Asks the engine for its metrics (the registry lives in the engine process, beside the jobs and the
 * workspace it describes). A failure answers 503 in plain text, which Prometheus records as a failed
 * scrape (`up` 0) without parsing it as metrics.
 */
export async function scrapeEngine(transport: Transport): Promise<MetricsAnswer> {
  const result = await transport.call('metrics.scrape', {});
  if (result.ok) {
    const { contentType, text } = result.output as { contentType: string; text: string };
    return { status: 200, contentType, body: text };
  }
  return { status: 503, contentType: 'text/plain; charset=utf-8', body: `metrics unavailable: ${result.error.message}\n` };
}

/** The path Prometheus scrapes by default. */
export const METRICS_PATH = '/metrics';

export interface RunningMetricsServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, contentType: string, body: string, head = false): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(head ? undefined : body);
}

/**
 * `bullpen serve --metrics-port`: GET /metrics without a token, for a Prometheus on this machine. Bound
 * to 127.0.0.1 only, and answering only requests addressed to 127.0.0.1 or localhost, so neither another
 * machine nor a web page using DNS rebinding can read it; nothing else is served.
 */
export async function startMetricsServer(options: { transport: Transport; port: number }): Promise<RunningMetricsServer> {
  const host = '127.0.0.1';
  let hosts = new Set<string>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const reqHost = (req.headers.host ?? '').toLowerCase();
    if (!hosts.has(reqHost)) return answer(res, 403, 'text/plain; charset=utf-8', 'address this server as 127.0.0.1 or localhost\n');
    const path = (req.url ?? '').split('?')[0];
    if (path !== METRICS_PATH) return answer(res, 404, 'text/plain; charset=utf-8', `only ${METRICS_PATH} is served here\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return answer(res, 405, 'text/plain; charset=utf-8', `${METRICS_PATH} answers GET\n`);
    }
    void scrapeEngine(options.transport).then(
      (m) => answer(res, m.status, m.contentType, m.body, req.method === 'HEAD'),
      (err: unknown) =>
        answer(res, 500, 'text/plain; charset=utf-8', `metrics failed: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        reject(
          new BullpenError(
            'usage',
            'METRICS_PORT_IN_USE',
            `--metrics-port ${options.port} on ${host} is in use: pass another port, or 0 for any free one`,
            { port: options.port },
          ),
        );
      else if (err.code === 'EACCES')
        reject(
          new BullpenError(
            'usage',
            'METRICS_PORT_DENIED',
            `--metrics-port ${options.port} needs privileges this user lacks: pass a port above 1023`,
            {
              port: options.port,
            },
          ),
        );
      else reject(err);
    });
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  return {
    port,
    url: `http://${host}:${port}${METRICS_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

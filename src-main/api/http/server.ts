import { existsSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { builtMainFile } from '../../engine/workers/workerPath';
import { BullpenError, type ErrorKind } from '../../shared/errors';
import type { EngineEvent } from '../../shared/events';
import type { Transport } from '../client/transport';
import { LOCAL_CALLER, REMOTE_CALLER } from '../../shared/caller';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from './jsonDepth';
import { isApiPath, parseRequestTarget } from './requestTarget';
import { registerPredictRoute } from './predictRoute';
import { METRICS_PATH, scrapeEngine } from './metricsServer';
import { allowedHosts, allowedOrigins, contentSecurityPolicy, newToken, tokenMatches } from './security';

export interface ServeOptions {
  /** The engine behind the API: an EngineProcess in `bullpen serve`, any Transport in tests. */
  transport: Transport;
  /** 127.0.0.1 unless the user asks otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer; defaults to out/renderer. */
  rendererDir?: string;
  /** Defaults to a fresh random token. */
  token?: string;
  /**
   * A second token, kept only in the owner-only server file: requests carrying it are the local user
   * (the CLI on a served workspace) and get their file access; the URL token stays remote (shared/caller.ts).
   */
  ownerToken?: string;
}

export interface RunningServer {
  /** `http://127.0.0.1:PORT/#token=…`: the fragment is never sent to servers or logs. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
/** Request bodies above this are refused (413); op inputs are small JSON documents. */
const BODY_LIMIT_BYTES = 1024 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The only requests served without the token: reading the static UI. */
const STATIC_METHODS = new Set(['GET', 'HEAD']);

/**
 * The token from `Authorization: Bearer <token>`; the scheme name is case-insensitive (RFC 9110 §11.1),
 * so `bearer x` from a hand-written script works as well.
 */
function bearerToken(header: string | undefined): string | undefined {
  const match = /^bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1] : undefined;
}

/**
 * The 4xx answers fastify and its static plugin give on their own, said in our words: what was wrong
 * and what to send instead (their own text, like "Forbidden", tells a user nothing).
 */
const FRAMEWORK_ERRORS: Readonly<Record<number, { code: string; kind: ErrorKind; message: (path: string) => string }>> = {
  403: { code: 'FORBIDDEN_PATH', kind: 'usage', message: (path) => `${path} is outside the served UI (paths may not climb with .. or //)` },
  413: {
    code: 'BODY_TOO_LARGE',
    kind: 'input',
    message: () => `request body is larger than ${BODY_LIMIT_BYTES / 1024 / 1024} MiB; op inputs are small JSON documents`,
  },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', kind: 'input', message: () => 'send the op input as JSON with `content-type: application/json`' },
};

/** Host-name lookup failures: the --host given does not name this machine. */
const UNKNOWN_HOST_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EADDRNOTAVAIL']);

/** Why listening failed, said as the user's mistake where it is one (a busy port, a foreign address). */
function listenError(err: unknown, host: string, port: number): unknown {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'EADDRINUSE') {
    return new BullpenError(
      'usage',
      'PORT_IN_USE',
      `port ${port} on ${host} is in use: pass another --port, or --port 0 for any free one`,
      { port },
    );
  }
  if (code === 'EACCES') {
    return new BullpenError(
      'usage',
      'PORT_DENIED',
      `port ${port} on ${host} needs privileges this user lacks: pass a port above 1023, or --port 0`,
      { port },
    );
  }
  if (UNKNOWN_HOST_CODES.has(code)) {
    return new BullpenError(
      'usage',
      'BAD_HOST',
      `cannot listen on --host ${host}: it is not an address of this machine (use 127.0.0.1, the default)`,
      { host },
    );
  }
  if (code === 'ERR_SOCKET_BAD_PORT' || (err instanceof RangeError && /port/i.test(err.message))) {
    return new BullpenError('usage', 'BAD_PORT', `${port} is not a port number: pass 0 to 65535 (0 picks a free one)`, { port });
  }
  return err;
}

/** Where `npm run build` puts the renderer, found from the bundle or from sources alike. */
export function builtRendererDir(): string {
  return join(dirname(builtMainFile('cli.js')), '..', 'renderer');
}

function sendError(reply: FastifyReply, status: number, code: string, kind: ErrorKind, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ error: { code, kind, message } });
}

/**
 * Requests Node's HTTP parser refuses before fastify sees them (a target not starting with '/', a header
 * block over Node's 16 KiB limit, a stalled request), answered in the same error shape as every other 4xx.
 */
function clientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'REQUEST_TIMEOUT', 'the request did not arrive in time']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HEADERS_TOO_LARGE', 'the request line and headers are too large; op inputs go in the JSON body']
        : [
            400,
            'BAD_REQUEST',
            `malformed HTTP request (${err.code ?? 'parse error'}): send HTTP/1.1 with a request target starting with /`,
          ];
  const body = JSON.stringify({ error: { code, kind: 'usage', message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * The router's own refusals, which it makes before any hook runs (so before the token check, and without
 * running anything): said in our error shape, without echoing the path back.
 */
function routerError(err: { code?: string; statusCode?: number }, _req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendError(reply, 414, 'PATH_TOO_LONG', 'usage', 'a path segment is too long: op names are short, like jobs.list');
  }
  if (err.code === 'FST_ERR_BAD_URL')
    return sendError(reply, 400, 'BAD_REQUEST_TARGET', 'usage', 'the request path is not valid percent-encoded UTF-8');
  return sendError(reply, 500, 'INTERNAL', 'internal', `internal error routing the request (${err.code ?? 'unknown'})`);
}

/** /metrics in any spelling is never a static read, so it always needs the token. */
function isMetricsPath(path: string): boolean {
  const lower = path.toLowerCase();
  return lower === METRICS_PATH || lower.startsWith(`${METRICS_PATH}/`);
}

const UNAUTHORIZED_MESSAGE = 'missing or wrong token: open the URL `bullpen serve` printed (it carries #token=…)';

/**
 * The token a request presents: `Authorization: Bearer`, or for a WebSocket upgrade (browsers cannot set
 * headers on one) a single `?token=`. A token given twice is no token: which copy counts would be a guess.
 */
function presentedToken(req: FastifyRequest, query: URLSearchParams, isSocket: boolean): { token?: string; problem?: string } {
  const queryTokens = query.getAll('token');
  if (queryTokens.length > 1) return { problem: 'the token was given more than once in the query; send it once' };
  const bearer = bearerToken(req.headers.authorization);
  return { token: bearer ?? (isSocket ? queryTokens[0] : undefined) };
}

/**
 * Serve mode: the built renderer plus the API (`POST /api/ops/<op>`, WebSocket `/api/events`). Every
 * request but a GET or HEAD of the static UI needs the launch token; an unknown Host is refused (DNS
 * rebinding), and a foreign Origin cannot change state or open the event socket. Bodies are validated
 * against the contract by the engine's dispatch, so bad input answers 4xx naming the field.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  /** Requests that presented the owner token rather than the URL token. */
  const ownerRequests = new WeakSet<FastifyRequest>();
  const host = options.host ?? DEFAULT_HOST;
  const rendererDir = options.rendererDir ?? builtRendererDir();
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    forceCloseConnections: true,
    clientErrorHandler: clientError,
    frameworkErrors: routerError,
  });
  let hosts = new Set<string>();
  let origins = new Set<string>();

  // Registered first: its onRequest hook marks upgrade requests, and its onResponse hook destroys the socket
  // of an upgrade our own checks refused (otherwise the refused socket lingers and blocks close()).
  await app.register(fastifyWebsocket);

  // Deny by default: the token is required unless the request is positively a read of the static UI,
  // decided on the one canonical reading of the raw target (requestTarget.ts), never on what the router
  // may make of it. Upgrades are never static, whatever their path.
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const reqHost = (req.headers.host ?? '').toLowerCase();
    if (!hosts.has(reqHost))
      return sendError(
        reply,
        403,
        'FORBIDDEN_HOST',
        'usage',
        `requests must address this server by 127.0.0.1 or localhost, not "${reqHost.slice(0, 100)}"`,
      );
    const target = parseRequestTarget(req.raw.url ?? '');
    if (!target.ok) return sendError(reply, target.status, target.code, 'usage', target.message);
    const isSocket = req.headers.upgrade !== undefined || req.headers.connection?.toLowerCase().includes('upgrade') === true;
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin) && (isSocket || !SAFE_METHODS.has(req.method))) {
      return sendError(reply, 403, 'FORBIDDEN_ORIGIN', 'usage', `cross-origin request from ${origin.slice(0, 100)} refused`);
    }
    const isStatic = !isSocket && STATIC_METHODS.has(req.method) && !isApiPath(target.path) && !isMetricsPath(target.path);
    if (isStatic) return;
    const presented = presentedToken(req, target.query, isSocket);
    if (presented.problem) return sendError(reply, 401, 'UNAUTHORIZED', 'usage', presented.problem);
    if (options.ownerToken !== undefined && tokenMatches(options.ownerToken, presented.token)) ownerRequests.add(req);
    else if (!tokenMatches(token, presented.token)) return sendError(reply, 401, 'UNAUTHORIZED', 'usage', UNAUTHORIZED_MESSAGE);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('content-security-policy', contentSecurityPolicy(req.headers.host ?? `${host}`));
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  // Deep nesting is refused on the text, before parsing (jsonDepth.ts); the rest is fastify's own parser,
  // which keeps refusing __proto__ and constructor keys.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (jsonNestsDeeperThan(body as string, MAX_JSON_DEPTH)) {
      done(
        new BullpenError(
          'input',
          'JSON_TOO_DEEP',
          `request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels; op inputs are shallow JSON documents`,
        ),
        undefined,
      );
      return;
    }
    parseJson(req, body as string, done);
  });

  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    if (err instanceof BullpenError && err.httpStatus < 500) return sendError(reply, err.httpStatus, err.code, err.kind, err.message);
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status < 500) {
      const known = FRAMEWORK_ERRORS[status];
      if (known) return sendError(reply, status, known.code, known.kind, known.message(req.url.split('?')[0]));
      return sendError(reply, status, 'BAD_REQUEST', 'input', `bad request: ${err.message}`);
    }
    return sendError(reply, 500, 'INTERNAL', 'internal', `internal error: ${err.message}`);
  });

  app.setNotFoundHandler((req, reply) =>
    req.url.startsWith('/api/')
      ? sendError(reply, 404, 'NOT_FOUND', 'notFound', `no API route ${req.method} ${req.url.split('?')[0]}`)
      : reply.code(404).type('text/plain').send('not found'),
  );

  app.post<{ Params: { op: string } }>('/api/ops/:op', async (req, reply) => {
    // No body at all means "no input" ({}); an explicit JSON null is a wrong input and is validated as such.
    const result = await options.transport.call(
      req.params.op,
      req.body === undefined ? {} : req.body,
      ownerRequests.has(req) ? LOCAL_CALLER : REMOTE_CALLER,
    );
    if (result.ok) return reply.code(200).send(result.output);
    return reply.code(BullpenError.fromBody({ error: result.error }).httpStatus).send({ error: result.error });
  });

  registerPredictRoute(app, options.transport, (req) => (ownerRequests.has(req) ? LOCAL_CALLER : REMOTE_CALLER));

  app.get('/api/events', { websocket: true }, (socket) => {
    const send = (event: EngineEvent): void => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
    };
    const off = options.transport.onEvent(send);
    socket.on('close', off);
    // Tells the client its subscription is live, so it can start work without missing events.
    send({ type: 'engine', status: 'ready', message: 'subscribed to engine events', at: new Date().toISOString() });
  });

  // Token-protected like the API: Prometheus sends it as `authorization: Bearer …` (its scrape config's
  // `authorization: {credentials: …}`). `bullpen serve --metrics-port` serves the same text without one, on 127.0.0.1.
  app.get(METRICS_PATH, async (_req, reply) => {
    const metrics = await scrapeEngine(options.transport);
    return reply.code(metrics.status).type(metrics.contentType).header('cache-control', 'no-store').send(metrics.body);
  });

  if (existsSync(join(rendererDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: rendererDir, index: 'index.html', wildcard: true });
  } else {
    app.get('/', (_req, reply) =>
      reply.code(503).type('text/plain').send('The Bullpen UI is not built: run `npm run build`, then restart `bullpen serve`.'),
    );
  }

  try {
    await app.listen({ host, port: options.port ?? 0 });
  } catch (err) {
    await app.close();
    throw listenError(err, host, options.port ?? 0);
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (options.port ?? 0);
  hosts = allowedHosts(host, port);
  origins = allowedOrigins(hosts);
  const shownHost = ['0.0.0.0', '::', ''].includes(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const origin = `http://${shownHost}:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      await app.close();
    },
  };
}

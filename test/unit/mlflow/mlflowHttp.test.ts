// The MLflow REST client against real HTTP servers on local sockets: which answers it retries and how long
// it waits (delays recorded through the injected sleep, never slept), what it makes of MLflow's error shape
// and of plain-text 401/403, that a create is looked up before it is sent again, and that credentials
// travel only in the Authorization header.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BullpenError } from '../../../src-main/shared/errors';
import { MlflowError } from '../../../src-main/engine/integrations/mlflow/mlflowErrors';
import { MlflowHttp, type MlflowHttpOptions } from '../../../src-main/engine/integrations/mlflow/mlflowHttp';
import { backoffDelay, DEFAULT_RETRY_POLICY } from '../../../src-main/engine/integrations/mlflow/retryPolicy';
import { detectServerVersion } from '../../../src-main/engine/integrations/mlflow/serverVersion';
import { resolveTrackingConfig } from '../../../src-main/engine/integrations/mlflow/trackingConfig';
import { needs } from '../../support/requirements';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Reply = (res: ServerResponse, req: IncomingMessage) => void;

const json =
  (status: number, body: unknown): Reply =>
  (res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
const text =
  (status: number, body: string, headers: Record<string, string> = {}): Reply =>
  (res) => {
    res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
    res.end(body);
  };
/** Drops the connection without an answer (what a crashing proxy or a restart does). */
const reset: Reply = (_res, req) => req.socket.destroy();

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A server answering its requests with `replies` in turn (the last one repeats), recording what it saw. */
async function scripted(replies: Reply[]): Promise<{ uri: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      replies[Math.min(seen.length, replies.length) - 1](res, req);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** A client whose waits are recorded, not slept. */
function client(uri: string, env: NodeJS.ProcessEnv = {}, options: MlflowHttpOptions = {}) {
  const delays: number[] = [];
  const http = new MlflowHttp(resolveTrackingConfig({ input: uri }, env), {
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...options,
  });
  return { http, delays };
}

const ok = z.object({ ok: z.boolean() });
const get = (http: MlflowHttp) =>
  http.json({ method: 'GET', path: '/api/2.0/mlflow/experiments/get', query: { experiment_id: '1' }, schema: ok });

async function failure(p: Promise<unknown>): Promise<MlflowError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(MlflowError);
    return err as MlflowError;
  }
  throw new Error('expected the request to fail');
}

describe('MLflow REST client: retries with backoff, errors with URL and status, creates looked up before a retry', () => {
  it('retries 408, 429, 500, 502, 503 and 504 with doubling waits, then answers', async () => {
    const s = await scripted([text(503, 'busy'), text(500, 'oops'), text(502, 'bad gateway'), text(504, 'slow'), json(200, { ok: true })]);
    const { http, delays } = client(s.uri);
    expect(await get(http)).toEqual({ ok: true });
    expect(s.seen).toHaveLength(5);
    expect(delays).toEqual([250, 500, 1000, 2000]);
    expect(http.requestCount).toBe(5);
    const s2 = await scripted([text(408, 'timeout'), text(429, 'slow down'), json(200, { ok: true })]);
    const c2 = client(s2.uri);
    expect(await get(c2.http)).toEqual({ ok: true });
    expect(c2.delays).toEqual([250, 500]);
    await Promise.all([http.close(), c2.http.close()]);
  });

  it("waits as long as a 429's Retry-After asks, bounded by the policy's longest wait", async () => {
    const s = await scripted([
      text(429, 'slow down', { 'Retry-After': '3' }),
      text(429, 'slower', { 'Retry-After': '600' }),
      json(200, { ok: true }),
    ]);
    const { http, delays } = client(s.uri);
    await get(http);
    expect(delays).toEqual([3000, DEFAULT_RETRY_POLICY.maxDelayMs]);
    expect(backoffDelay(10, DEFAULT_RETRY_POLICY)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
    await http.close();
  });

  it('retries a dropped connection', async () => {
    const s = await scripted([reset, json(200, { ok: true })]);
    const { http, delays } = client(s.uri);
    expect(await get(http)).toEqual({ ok: true });
    expect(s.seen).toHaveLength(2);
    expect(delays).toEqual([250]);
    await http.close();
  });

  it('gives up after the last attempt with an external error (exit 4) naming the URL and the status', async () => {
    const s = await scripted([text(503, 'Service Unavailable: upstream down')]);
    const { http, delays } = client(s.uri, {}, { retry: { maxAttempts: 3 } });
    const err = await failure(get(http));
    expect(s.seen).toHaveLength(3);
    expect(delays).toEqual([250, 500]);
    expect(err.kind).toBe('external');
    expect(err.exitCode).toBe(4);
    expect(err.code).toBe('MLFLOW_REQUEST_FAILED');
    expect(err.message).toContain(`${s.uri}/api/2.0/mlflow/experiments/get`);
    expect(err.message).toContain('503');
    expect(err.message).toContain('upstream down');
    // The query (names, ids) stays out of the message.
    expect(err.message).not.toContain('experiment_id=1');
    await http.close();
  });

  it("reads MLflow's error shape and does not retry what a retry cannot fix", async () => {
    const s = await scripted([
      json(400, { error_code: 'INVALID_PARAMETER_VALUE', message: "Invalid value 'x' for parameter 'max_results'" }),
    ]);
    const { http, delays } = client(s.uri);
    const err = await failure(get(http));
    expect(s.seen).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(err).toMatchObject({
      code: 'MLFLOW_INVALID_PARAMETER_VALUE',
      errorCode: 'INVALID_PARAMETER_VALUE',
      status: 400,
      kind: 'external',
    });
    expect(err.message).toMatch(/answered 400 .*INVALID_PARAMETER_VALUE: Invalid value 'x' for parameter 'max_results'/);
    await http.close();
  });

  it('turns plain-text 401 and 403 (the auth app, a proxy) into clear errors that never show the credentials', async () => {
    const env = { MLFLOW_TRACKING_USERNAME: 'ana', MLFLOW_TRACKING_PASSWORD: 's3cret-pass', MLFLOW_TRACKING_TOKEN: 'tok-123456' };
    const s = await scripted([
      text(401, 'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html on how to authenticate.'),
      // A proxy that echoes the request's Authorization header in its error page.
      (res, req) => text(403, `Permission denied for ${req.headers.authorization}`)(res, req),
    ]);
    const { http, delays } = client(s.uri, env);
    const unauthenticated = await failure(get(http));
    expect(unauthenticated).toMatchObject({ code: 'MLFLOW_UNAUTHENTICATED', status: 401, kind: 'external' });
    expect(unauthenticated.message).toContain(s.uri);
    expect(unauthenticated.message).toContain('401');
    expect(unauthenticated.message).toMatch(/not authenticated.*MLFLOW_TRACKING_USERNAME/);
    const denied = await failure(get(http));
    expect(denied).toMatchObject({ code: 'MLFLOW_PERMISSION_DENIED', status: 403 });
    expect(delays).toEqual([]);
    const shown = JSON.stringify([unauthenticated.message, unauthenticated.details, denied.message, denied.details]);
    expect(shown).not.toContain('s3cret-pass');
    expect(shown).not.toContain(Buffer.from('ana:s3cret-pass').toString('base64'));
    expect(shown).not.toContain('tok-123456');
    // Basic auth wins over the token when both are set (MLflow's own rule).
    expect(s.seen[0].headers.authorization).toBe(`Basic ${Buffer.from('ana:s3cret-pass').toString('base64')}`);
    await http.close();
  });

  it('sends a bearer token when only MLFLOW_TRACKING_TOKEN is set, and no Authorization header without credentials', async () => {
    const s = await scripted([json(200, { ok: true })]);
    const token = client(s.uri, { MLFLOW_TRACKING_TOKEN: 'tok-abcdef' });
    await get(token.http);
    const none = client(s.uri, {});
    await get(none.http);
    expect(s.seen.map((r) => r.headers.authorization)).toEqual(['Bearer tok-abcdef', undefined]);
    await Promise.all([token.http.close(), none.http.close()]);
  });

  it('looks a create up before retrying it: an experiment the lost answer did create is not created twice', async () => {
    const s = await scripted([
      // The create went through but its answer was lost.
      text(502, 'Bad Gateway'),
      // The lookup finds it.
      json(200, { experiment: { experiment_id: '7', name: 'e', lifecycle_stage: 'active' } }),
    ]);
    const { http } = client(s.uri);
    const created = await http.json({
      method: 'POST',
      path: '/api/2.0/mlflow/experiments/create',
      body: { name: 'e' },
      schema: z.object({ experiment_id: z.string() }),
      lookupBeforeRetry: async () => {
        const r = await http.json({
          method: 'GET',
          path: '/api/2.0/mlflow/experiments/get-by-name',
          query: { experiment_name: 'e' },
          schema: z.object({ experiment: z.object({ experiment_id: z.string() }) }),
        });
        return { experiment_id: r.experiment.experiment_id };
      },
    });
    expect(created).toEqual({ experiment_id: '7' });
    expect(s.seen.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'POST /api/2.0/mlflow/experiments/create',
      'GET /api/2.0/mlflow/experiments/get-by-name',
    ]);
    expect(s.seen[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(s.seen[0].body)).toEqual({ name: 'e' });
    await http.close();
  });

  it('says the server is unreachable (exit 4) after retrying a refused connection', async () => {
    const s = await scripted([json(200, { ok: true })]);
    const port = Number(new URL(s.uri).port);
    await new Promise((r) => servers.splice(0)[0].close(r));
    const { http, delays } = client(`http://127.0.0.1:${port}`, {}, { retry: { maxAttempts: 3 } });
    const err = await failure(get(http));
    expect(err).toMatchObject({ code: 'MLFLOW_UNREACHABLE', kind: 'external', status: null });
    expect(err.exitCode).toBe(4);
    expect(err.message).toContain(`http://127.0.0.1:${port}`);
    expect(err.message).toContain('ECONNREFUSED');
    expect(delays).toEqual([250, 500]);
    await http.close();
  });

  it('stops waiting for a retry at once when the export is cancelled', async () => {
    const s = await scripted([text(503, 'busy')]);
    const controller = new AbortController();
    const cancelled = new BullpenError('cancelled', 'JOB_CANCELLED', 'job x was cancelled');
    const http = new MlflowHttp(resolveTrackingConfig({ input: s.uri }, {}), {
      signal: controller.signal,
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason as Error));
          controller.abort(cancelled);
        }),
    });
    await expect(get(http)).rejects.toBe(cancelled);
    expect(s.seen).toHaveLength(1);
    await http.close();
  });

  it('detects the server version from /version, else from a probe of an MLflow 3 endpoint', async () => {
    const three = await scripted([text(200, '3.17.2')]);
    expect(await detectServerVersion(client(three.uri).http)).toEqual({ version: '3.17.2', major: 3, detectedBy: 'version-endpoint' });
    const hidden2 = await scripted([text(404, 'Not Found'), json(404, { error_code: 'ENDPOINT_NOT_FOUND', message: 'No such endpoint' })]);
    expect(await detectServerVersion(client(hidden2.uri).http)).toEqual({ version: null, major: 2, detectedBy: 'probe' });
    expect(hidden2.seen.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /version', 'POST /api/2.0/mlflow/logged-models/search']);
    const hidden3 = await scripted([text(404, 'Not Found'), json(200, { models: [] })]);
    expect(await detectServerVersion(client(hidden3.uri).http)).toEqual({ version: null, major: 3, detectedBy: 'probe' });
    const locked = await scripted([text(401, 'You are not authenticated.')]);
    await expect(detectServerVersion(client(locked.uri).http)).rejects.toMatchObject({ code: 'MLFLOW_UNAUTHENTICATED' });
  });
});

describe('MLflow connection settings: where the URI comes from, credentials only from the environment', () => {
  it('takes the URI from the input, else the settings, else MLFLOW_TRACKING_URI; keeps a path prefix', () => {
    const env = { MLFLOW_TRACKING_URI: 'http://env:5000' };
    expect(resolveTrackingConfig({ input: 'http://in:1/', settings: 'http://set:2' }, env)).toMatchObject({
      trackingUri: 'http://in:1',
      source: 'input',
    });
    expect(resolveTrackingConfig({ settings: 'http://set:2/mlflow/' }, env)).toMatchObject({
      trackingUri: 'http://set:2/mlflow',
      source: 'settings',
    });
    expect(resolveTrackingConfig({}, env)).toMatchObject({ trackingUri: 'http://env:5000', source: 'environment' });
    expect(() => resolveTrackingConfig({}, {})).toThrow(expect.objectContaining({ kind: 'usage', code: 'MLFLOW_TRACKING_URI_MISSING' }));
  });

  it('refuses a URI with credentials in it (they would be shown and stored) and one that is not http(s), without echoing the secret', () => {
    let caught: unknown;
    try {
      resolveTrackingConfig({ input: 'http://ana:s3cret@host:5000' }, {});
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ kind: 'input', code: 'MLFLOW_TRACKING_URI_CREDENTIALS' });
    expect(JSON.stringify([(caught as Error).message, (caught as BullpenError).details])).not.toContain('s3cret');
    expect(() => resolveTrackingConfig({ input: 'databricks://profile' }, {})).toThrow(
      expect.objectContaining({ code: 'MLFLOW_TRACKING_URI_SCHEME' }),
    );
  });

  it('reads TLS options: MLFLOW_TRACKING_INSECURE_TLS and a CA bundle that must be readable', () => {
    expect(resolveTrackingConfig({ input: 'https://h' }, { MLFLOW_TRACKING_INSECURE_TLS: 'true' }).tls).toEqual({
      insecure: true,
      ca: null,
      caPath: null,
    });
    expect(resolveTrackingConfig({ input: 'https://h' }, {}).tls.insecure).toBe(false);
    expect(() => resolveTrackingConfig({ input: 'https://h' }, { MLFLOW_TRACKING_SERVER_CERT_PATH: '/nonexistent/ca.pem' })).toThrow(
      expect.objectContaining({ code: 'MLFLOW_CA_UNREADABLE' }),
    );
  });
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

describe.skipIf(!needs('openssl (to make a self-signed certificate)', hasOpenssl, 'apt-get install -y openssl'))(
  'MLflow over TLS with a private CA: refused until MLFLOW_TRACKING_SERVER_CERT_PATH names it, or MLFLOW_TRACKING_INSECURE_TLS',
  () => {
    it('refuses an untrusted certificate with a message naming both ways out, and trusts the CA bundle given', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bullpen-mlflow-tls-'));
      try {
        const made = spawnSync('openssl', [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ]);
        expect(made.status, made.stderr?.toString()).toBe(0);
        const server = createHttpsServer(
          { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
          (_req, res) => {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end('{"ok":true}');
          },
        );
        servers.push(server);
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        const uri = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

        const untrusted = client(uri, {});
        const err = await failure(get(untrusted.http));
        expect(err.code).toBe('MLFLOW_TLS');
        expect(err.message).toMatch(/MLFLOW_TRACKING_SERVER_CERT_PATH.*MLFLOW_TRACKING_INSECURE_TLS/);
        // A certificate problem is not retried: waiting does not make it trusted.
        expect(untrusted.delays).toEqual([]);

        const trusted = client(uri, { MLFLOW_TRACKING_SERVER_CERT_PATH: join(dir, 'cert.pem') });
        expect(await get(trusted.http)).toEqual({ ok: true });
        const insecure = client(uri, { MLFLOW_TRACKING_INSECURE_TLS: 'true' });
        expect(await get(insecure.http)).toEqual({ ok: true });
        await Promise.all([untrusted.http.close(), trusted.http.close(), insecure.http.close()]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import WebSocket from 'ws';
import { createClient, httpTransport, type BullpenClient } from '../../../src-main/api/client';
import type { EventSocket } from '../../../src-main/api/client/httpTransport';
import { EngineProcess } from '../../../src-main/api/host/engineProcess';
import { startServer, type RunningServer } from '../../../src-main/api/http/server';
import type { EngineEvent } from '../../../src-main/shared/events';
import { tempWorkspace, waitForEvent } from '../../support/waitForEvent';

/** A raw HTTP request, so tests can send any Host or Origin header. */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'POST', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Opens a WebSocket and reports either the HTTP status that refused it or 101 once it is open. */
function wsStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

describe('bullpen serve: HTTP + WebSocket API over a real engine process', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let engine: EngineProcess;
  let server: RunningServer;
  let client: BullpenClient;
  const json = (token: string | null, extra: Record<string, string> = {}) => ({
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...extra,
  });

  beforeAll(async () => {
    tmp = await tempWorkspace();
    engine = await EngineProcess.start({ workspacePath: tmp.path });
    server = await startServer({ transport: engine, port: 0 });
    client = createClient(
      httpTransport({ baseUrl: server.origin, token: server.token, socket: (url) => new WebSocket(url) as unknown as EventSocket }),
    );
  });

  afterAll(async () => {
    await server?.close();
    await engine?.stop();
    await tmp?.cleanup();
  });

  it('prints a loopback URL that carries the token in the fragment', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(40);
  });

  it('answers an op with the token and refuses it without or with a wrong one (401)', async () => {
    const info = await client.call('workspace.info', {});
    expect(info.path).toBe(tmp.path);
    const none = await raw(`${server.origin}/api/ops/workspace.info`, { headers: json(null), body: '{}' });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const wrong = await raw(`${server.origin}/api/ops/workspace.info`, { headers: json('not-the-token'), body: '{}' });
    expect(wrong.status).toBe(401);
  });

  it('refuses a state change from a foreign Origin (403) but accepts its own origin', async () => {
    const foreign = await raw(`${server.origin}/api/ops/jobs.list`, {
      headers: json(server.token, { origin: 'http://evil.example' }),
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ error: { code: 'FORBIDDEN_ORIGIN' } });
    const own = await raw(`${server.origin}/api/ops/jobs.list`, { headers: json(server.token, { origin: server.origin }), body: '{}' });
    expect(own.status).toBe(200);
  });

  it('refuses an unknown Host header (403), even for the static UI', async () => {
    const api = await raw(`${server.origin}/api/ops/jobs.list`, {
      headers: json(server.token, { host: `evil.example:${server.port}` }),
      body: '{}',
    });
    expect(api.status).toBe(403);
    expect(JSON.parse(api.body)).toMatchObject({ error: { code: 'FORBIDDEN_HOST' } });
    const page = await raw(`${server.origin}/`, { method: 'GET', headers: { host: 'rebind.example' } });
    expect(page.status).toBe(403);
  });

  it('validates bodies against the contract: 400 naming the field, never 5xx', async () => {
    const cases: [string, string, RegExp][] = [
      ['jobs.list', '{"limit":"ten"}', /limit/],
      ['jobs.list', '{"limit":0}', /limit/],
      ['jobs.runDemo', '{"rounds":2,"bogus":true}', /bogus|unrecognized/i],
      ['jobs.get', '{}', /id/],
      ['jobs.list', '{not json', /JSON/],
      ['jobs.list', '[1,2]', /expected object/],
      ['jobs.list', 'null', /expected object, received null/],
    ];
    for (const [op, body, field] of cases) {
      const res = await raw(`${server.origin}/api/ops/${op}`, { headers: json(server.token), body });
      expect(res.status, `${op} ${body}`).toBe(400);
      expect((JSON.parse(res.body) as { error: { message: string } }).error.message, `${op} ${body}`).toMatch(field);
    }
    const unknown = await raw(`${server.origin}/api/ops/nope.nope`, { headers: json(server.token), body: '{}' });
    expect(unknown.status).toBe(404);
    const missing = await raw(`${server.origin}/api/ops/jobs.get`, { headers: json(server.token), body: '{"id":"no-such-job"}' });
    expect(missing.status).toBe(404);
  });

  it('accepts the Bearer scheme in any letter case, as HTTP defines it', async () => {
    for (const scheme of ['bearer', 'BEARER']) {
      const res = await raw(`${server.origin}/api/ops/jobs.list`, {
        headers: { 'content-type': 'application/json', authorization: `${scheme} ${server.token}` },
        body: '{}',
      });
      expect(res.status, scheme).toBe(200);
    }
  });

  it('says in its own words what was wrong with a request fastify refused itself', async () => {
    const form = await raw(`${server.origin}/api/ops/jobs.list`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${server.token}` },
      body: 'limit=1',
    });
    expect(form.status).toBe(415);
    expect(JSON.parse(form.body)).toMatchObject({
      error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringMatching(/application\/json/) },
    });
    const big = await raw(`${server.origin}/api/ops/jobs.list`, {
      headers: json(server.token),
      body: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ error: { code: 'BODY_TOO_LARGE' } });
    const climb = await raw(`${server.origin}/../../etc/passwd`, { method: 'GET' });
    expect(climb.status).toBeLessThan(500);
    const doubled = await raw(`${server.origin}//api/ops/jobs.list`, { method: 'GET' });
    expect(doubled.status).toBe(403);
    expect(JSON.parse(doubled.body)).toMatchObject({
      error: { code: 'FORBIDDEN_PATH', message: expect.stringMatching(/outside the served UI/) },
    });
  });

  it('serves the built renderer with a strict CSP header and no token', async () => {
    const page = await raw(`${server.origin}/`, { method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<html/i);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('guards the event WebSocket: token required (401), foreign Origin refused (403)', async () => {
    const base = server.origin.replace('http', 'ws');
    expect(await wsStatus(`${base}/api/events`)).toBe(401);
    expect(await wsStatus(`${base}/api/events?token=wrong`)).toBe(401);
    expect(await wsStatus(`${base}/api/events?token=${server.token}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await wsStatus(`${base}/api/events?token=${server.token}`, { origin: server.origin })).toBe(101);
  });

  it('streams job progress over the WebSocket while the demo job runs from HTTP', async () => {
    const seen: EngineEvent[] = [];
    const subscribed = waitForEvent(client.onEvent, (e) => e.type === 'engine' && e.status === 'ready');
    const off = client.onEvent((e) => seen.push(e));
    await subscribed;
    const job = await client.call('jobs.runDemo', { stepDelayMs: 0, rounds: 3 });
    await waitForEvent(client.onEvent, (e) => e.type === 'job' && e.job.id === job.id && e.job.state === 'completed');
    off();
    const mine = seen.filter((e): e is Extract<EngineEvent, { type: 'job' }> => e.type === 'job' && e.job.id === job.id);
    expect(mine.some((e) => e.job.state === 'running' && e.job.progress > 0 && e.job.progress < 1)).toBe(true);
    expect(mine.at(-1)?.job.state).toBe('completed');
    expect(await client.call('jobs.get', { id: job.id })).toMatchObject({ state: 'completed' });
  });

  it('survives the engine process being killed mid-job: restarts it and shows the job interrupted', async () => {
    // Subscribe first and wait for the server's hello, so no progress event is missed.
    const subscribed = waitForEvent(client.onEvent, (e) => e.type === 'engine' && e.status === 'ready');
    const keep = client.onEvent(() => undefined);
    await subscribed;
    const job = await client.call('jobs.runDemo', { stepDelayMs: 10_000, rounds: 50 });
    await waitForEvent(client.onEvent, (e) => e.type === 'job' && e.job.id === job.id && e.job.progress > 0);
    const restarted = waitForEvent(client.onEvent, (e) => e.type === 'engine' && e.status === 'restarted');
    const crashedEvent = waitForEvent<Extract<EngineEvent, { type: 'engine' }>>(
      client.onEvent,
      (e) => e.type === 'engine' && e.status === 'crashed',
    );
    process.kill(engine.pid ?? 0, 'SIGKILL');
    const crashed = await crashedEvent;
    expect(crashed.message).toMatch(/was killed by SIGKILL/);
    await restarted;
    expect(await client.call('jobs.get', { id: job.id })).toMatchObject({ state: 'interrupted' });
    expect((await client.call('workspace.info', {})).engine.restarts).toBe(1);
    keep();
  });
});

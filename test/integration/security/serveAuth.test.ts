import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, statSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { EngineProcess } from '../../../src-main/api/host/engineProcess';
import { serverFilePath } from '../../../src-main/api/http/serverFile';
import { startServer, type RunningServer } from '../../../src-main/api/http/server';
import { DuckDbRunStore } from '../../../src-main/engine/tracking/runStore';
import { Workspace } from '../../../src-main/engine/workspace/workspace';
import { BullpenError } from '../../../src-main/shared/errors';
import { errorCode, rawExchange } from '../../support/rawHttp';
import { tempWorkspace } from '../../support/waitForEvent';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');
const OWNER_ONLY = 0o600;

/** Runs the built CLI as a user would, as a separate process. */
function bullpen(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bullpen serve refuses every way around its token', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let engine: EngineProcess;
  let server: RunningServer;
  let host: string;

  const post = (target: string, opts: { token?: string; body?: string; headers?: string } = {}): string => {
    const body = opts.body ?? '{}';
    return (
      `POST ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `${opts.token ? `Authorization: Bearer ${opts.token}\r\n` : ''}${opts.headers ?? ''}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    );
  };
  const get = (target: string, method = 'GET'): string => `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;
  const upgrade = (target: string): string =>
    `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
    'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';

  beforeAll(async () => {
    tmp = await tempWorkspace();
    engine = await EngineProcess.start({ workspacePath: tmp.path });
    server = await startServer({ transport: engine, port: 0 });
    host = `127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server?.close();
    await engine?.stop();
    await tmp?.cleanup();
  });

  it('answers the plain API with the token, and a WebSocket upgrade with ?token= (the controls for what follows)', async () => {
    const ok = await rawExchange(server.port, post('/api/ops/workspace.info', { token: server.token }));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ path: tmp.path });
    expect((await rawExchange(server.port, upgrade(`/api/events?token=${server.token}`))).status).toBe(101);
  });

  it.each([
    ['percent-encoded letter: /%61pi/', () => post('/%61pi/ops/workspace.info'), 403, 'FORBIDDEN_PATH'],
    ['percent-encoded letter: /ap%69/', () => post('/ap%69/ops/workspace.info'), 403, 'FORBIDDEN_PATH'],
    ['encoded dot in the op name', () => post('/api/ops/workspace%2einfo'), 403, 'FORBIDDEN_PATH'],
    ['upper case /API/', () => post('/API/ops/workspace.info'), 401, 'UNAUTHORIZED'],
    ['encoded slash /%2fapi', () => post('/%2fapi/ops/workspace.info'), 403, 'FORBIDDEN_PATH'],
    ['encoded slash inside /api%2fops', () => post('/api%2Fops/workspace.info'), 403, 'FORBIDDEN_PATH'],
    ['double-encoded /%2561pi', () => post('/%2561pi/ops/workspace.info'), 403, 'FORBIDDEN_PATH'],
    ['empty segment //api/', () => post('//api/ops/workspace.info'), 403, 'FORBIDDEN_PATH'],
    ['dot segment /./api/', () => post('/./api/ops/workspace.info'), 403, 'FORBIDDEN_PATH'],
    ['climb /api/../api/', () => post('/api/../api/ops/workspace.info'), 403, 'FORBIDDEN_PATH'],
    ['climb /x/../api/', () => post('/x/../api/ops/workspace.info'), 403, 'FORBIDDEN_PATH'],
    ['absolute-form http://this-server/api/', () => post(`http://${host}/api/ops/workspace.info`), 400, 'BAD_REQUEST_TARGET'],
    ['absolute-form naming another host', () => post('http://evil.example/api/ops/workspace.info'), 400, 'BAD_REQUEST_TARGET'],
    ['absolute-form https://', () => post(`https://${host}/api/ops/workspace.info`), 400, 'BAD_REQUEST_TARGET'],
    ['a target without a leading slash', () => post('api/ops/workspace.info'), 400, 'BAD_REQUEST'],
    ['a scheme-only target', () => post('x:/api/ops/workspace.info'), 400, 'BAD_REQUEST'],
    ['asterisk-form OPTIONS *', () => get('*', 'OPTIONS'), 400, 'BAD_REQUEST_TARGET'],
    ['backslash /\\api/', () => post('/\\api/ops/workspace.info'), 403, 'FORBIDDEN_PATH'],
    ['backslashes as separators', () => post('/api\\ops\\workspace.info'), 403, 'FORBIDDEN_PATH'],
    ['encoded backslash', () => post('/api/ops%5cworkspace.info'), 403, 'FORBIDDEN_PATH'],
    ['a fragment in the target', () => post('/api/ops/workspace.info#x'), 400, 'BAD_REQUEST_TARGET'],
    ['token only in the query of a POST', () => post(`/api/ops/workspace.info?token=${server.token}`), 401, 'UNAUTHORIZED'],
    ['GET of an API path', () => get('/api/ops/workspace.info'), 401, 'UNAUTHORIZED'],
    ['GET of the event path without upgrade', () => get('/api/events'), 401, 'UNAUTHORIZED'],
    ['a method other than GET/HEAD on a UI path', () => post('/index.html'), 401, 'UNAUTHORIZED'],
    ['WebSocket upgrade to /%61pi/events', () => upgrade('/%61pi/events'), 403, 'FORBIDDEN_PATH'],
    ['WebSocket upgrade to /API/events', () => upgrade('/API/events'), 401, 'UNAUTHORIZED'],
    ['WebSocket upgrade to a UI path', () => upgrade('/'), 401, 'UNAUTHORIZED'],
    ['WebSocket upgrade with no token', () => upgrade('/api/events'), 401, 'UNAUTHORIZED'],
    ['WebSocket upgrade with a wrong token', () => upgrade('/api/events?token=wrong'), 401, 'UNAUTHORIZED'],
    ['WebSocket upgrade with ?token=a&token=b', () => upgrade('/api/events?token=a&token=b'), 401, 'UNAUTHORIZED'],
    [
      'WebSocket upgrade with the right token twice',
      () => upgrade(`/api/events?token=${server.token}&token=${server.token}`),
      401,
      'UNAUTHORIZED',
    ],
  ])('refuses %s', async (_name, request, status, code) => {
    const res = await rawExchange(server.port, request());
    expect(res.status).toBe(status);
    expect(errorCode(res.body)).toBe(code);
  });

  it('refuses encoded and absolute-form targets even when they carry the right token', async () => {
    for (const target of ['/%61pi/ops/workspace.info', `http://${host}/api/ops/workspace.info`, '//api/ops/workspace.info']) {
      const res = await rawExchange(server.port, post(target, { token: server.token }));
      expect([400, 403], target).toContain(res.status);
    }
  });

  it('serves the static UI without a token: GET and HEAD of /, and the assets index.html names', async () => {
    const page = await rawExchange(server.port, get('/'));
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<html/i);
    expect((await rawExchange(server.port, get('/', 'HEAD'))).status).toBe(200);
    const asset = /(?:src|href)="\.?(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(asset).toBeDefined();
    expect((await rawExchange(server.port, get(asset ?? '/missing'))).status).toBe(200);
  });

  it('answers JSON nested 100,000 levels deep with 400, not a stack overflow', async () => {
    for (const body of ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)]) {
      const res = await rawExchange(server.port, post('/api/ops/jobs.list', { token: server.token, body }));
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({
        error: { code: 'JSON_TOO_DEEP', message: expect.stringMatching(/deeper than \d+ levels/) },
      });
    }
    // Brackets inside strings are text, not nesting.
    const inString = await rawExchange(
      server.port,
      post('/api/ops/ml.runs.list', { token: server.token, body: JSON.stringify({ search: '['.repeat(10_000) }) }),
    );
    expect(inString.status).toBe(200);
  });

  it('answers long values with 4xx, never 5xx', async () => {
    const longName = await rawExchange(
      server.port,
      post('/api/ops/ml.train', { token: server.token, body: JSON.stringify({ train: '2000-2014', name: 'x'.repeat(500_000) }) }),
    );
    expect(longName.status).toBe(400);
    expect(errorCode(longName.body)).toBe('INVALID_INPUT');
    const longPath = await rawExchange(server.port, post(`/api/ops/${'a'.repeat(20_000)}`, { token: server.token }));
    expect(longPath.status).toBe(431);
    expect(errorCode(longPath.body)).toBe('HEADERS_TOO_LARGE');
    const longOp = await rawExchange(server.port, post(`/api/ops/${'a'.repeat(8_000)}`, { token: server.token }));
    expect(longOp.status).toBe(414);
    expect(errorCode(longOp.body)).toBe('PATH_TOO_LONG');
    const longToken = await rawExchange(server.port, upgrade(`/api/events?token=${'t'.repeat(8_000)}`));
    expect(longToken.status).toBe(401);
  });

  it('creates a new workspace and its WAL readable by the owner only', () => {
    expect(statSync(tmp.path).mode & 0o777).toBe(OWNER_ONLY);
    expect(existsSync(`${tmp.path}.wal`)).toBe(true);
    expect(statSync(`${tmp.path}.wal`).mode & 0o777).toBe(OWNER_ONLY);
  });

  it('says which process holds a locked workspace and what to do, in the engine and from the CLI (exit 3)', async () => {
    const opened = await Workspace.open(tmp.path).then(
      () => null,
      (err: unknown) => err,
    );
    expect(opened).toBeInstanceOf(BullpenError);
    expect(opened).toMatchObject({ code: 'WORKSPACE_LOCKED', kind: 'conflict', details: { pid: engine.pid } });
    const cli = bullpen(['workspace', 'info', '--json', '--workspace', tmp.path]);
    expect(cli.code).toBe(3);
    const { error } = JSON.parse(cli.stdout) as { error: { code: string; message: string } };
    expect(error.code).toBe('WORKSPACE_LOCKED');
    expect(error.message).toContain(`workspace ${tmp.path} is open in another process (pid ${engine.pid})`);
    expect(error.message).toContain('if it is `bullpen serve`, run the command through it or stop it');
    expect(cli.stderr).not.toMatch(/Could not set lock/);
  });
});

describe('`bullpen serve` announces itself owner-only and is found through a symlink', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let serve: ChildProcess | undefined;

  beforeAll(async () => {
    tmp = await tempWorkspace();
  });

  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      const exited = new Promise((r) => serve?.once('exit', r));
      serve.kill('SIGTERM');
      await exited;
    }
    await tmp?.cleanup();
  });

  it('writes <workspace>.serve.json with mode 0600, and a CLI naming the workspace by a symlink goes through the server', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--json', '--port', '0', '--workspace', tmp.path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    serve = child;
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const firstLine = await new Promise<string>((resolveLine, reject) => {
      createInterface({ input: child.stdout }).once('line', resolveLine);
      child.once('exit', (code) => reject(new Error(`bullpen serve exited ${code} before printing its URL: ${stderr}`)));
    });
    const started = JSON.parse(firstLine) as { origin: string };
    expect(started.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(statSync(serverFilePath(tmp.path)).mode & 0o777).toBe(OWNER_ONLY);
    expect(statSync(tmp.path).mode & 0o777).toBe(OWNER_ONLY);

    const link = join(tmp.dir, 'link.duckdb');
    symlinkSync(tmp.path, link);
    const viaLink = bullpen(['workspace', 'info', '--json', '--workspace', link]);
    expect(viaLink.code, viaLink.stderr).toBe(0);
    expect(JSON.parse(viaLink.stdout)).toMatchObject({ path: tmp.path });
  });
});

describe('run search is literal: % and _ are not wildcards', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let ws: Workspace;
  let store: DuckDbRunStore;

  beforeAll(async () => {
    tmp = await tempWorkspace();
    ws = await Workspace.open(tmp.path);
    store = new DuckDbRunStore(ws);
    for (const [name, note] of [
      ['edge 100%', '50% kelly'],
      ['edge 1000', '50 kelly'],
      ['a_b', 'x_y'],
      ['axb', 'xzy'],
      ['back\\slash', 'c:\\runs'],
      ['backslash', 'c:runs'],
    ]) {
      await store.start({ name, kind: 'train', params: {}, tags: { note } });
    }
  });

  afterAll(async () => {
    ws?.close();
    await tmp?.cleanup();
  });

  const names = async (q: { search?: string; filters?: string[] }): Promise<string[]> =>
    (await store.list({ ...q, limit: 100 })).map((r) => r.name).sort();

  it('matches %, _ and \\ in --search as themselves', async () => {
    expect(await names({ search: '100%' })).toEqual(['edge 100%']);
    expect(await names({ search: '%' })).toEqual(['edge 100%']);
    expect(await names({ search: 'a_b' })).toEqual(['a_b']);
    expect(await names({ search: 'k\\s' })).toEqual(['back\\slash']);
    expect(await names({ search: 'EDGE' })).toEqual(['edge 100%', 'edge 1000']);
  });

  it('matches them literally in a tag~text filter too', async () => {
    expect(await names({ filters: ['tag.note~50%'] })).toEqual(['edge 100%']);
    expect(await names({ filters: ['tag.note~x_y'] })).toEqual(['a_b']);
    expect(await names({ filters: ['tag.note~c:\\r'] })).toEqual(['back\\slash']);
  });
});

describe('ml.train refuses a bad model name before any job starts', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeAll(async () => {
    tmp = await tempWorkspace();
  });
  afterAll(async () => {
    await tmp?.cleanup();
  });

  it.each([['../escape'], ['has space'], ['-dash-first'], ['x'.repeat(101)]])('refuses --name %s with exit 3 and starts no job', (name) => {
    const r = bullpen(['ml', 'train', '--train', '2000-2014', '--name', name, '--json', '--workspace', tmp.path]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'INVALID_INPUT', details: { issues: [{ path: ['name'] }] } } });
    const jobs = bullpen(['jobs', 'list', '--json', '--workspace', tmp.path]);
    expect(jobs.code).toBe(0);
    expect(JSON.parse(jobs.stdout)).toEqual({ jobs: [] });
  });
});

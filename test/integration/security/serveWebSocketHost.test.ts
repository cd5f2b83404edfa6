import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineProcess } from '../../../src-main/api/host/engineProcess';
import { startServer, type RunningServer } from '../../../src-main/api/http/server';
import { errorCode, rawExchange } from '../../support/rawHttp';
import { tempWorkspace } from '../../support/waitForEvent';

/**
 * DNS rebinding against the event socket: a page on evil.example whose name now resolves to 127.0.0.1
 * can open a WebSocket to the server, and the browser sends `Host: evil.example`. Every upgrade here
 * carries the right token, so the Host check is the only thing that can refuse it.
 */
describe('bullpen serve checks the Host of a WebSocket upgrade', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let engine: EngineProcess;
  let server: RunningServer;

  /** An upgrade to the event socket with the launch token and exactly the given Host header lines. */
  const upgrade = (hostLines: string[]): string =>
    `GET /api/events?token=${server.token} HTTP/1.1\r\n${hostLines.map((h) => `Host: ${h}\r\n`).join('')}` +
    'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';

  beforeAll(async () => {
    tmp = await tempWorkspace();
    engine = await EngineProcess.start({ workspacePath: tmp.path });
    server = await startServer({ transport: engine, port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    await engine?.stop();
    await tmp?.cleanup();
  });

  it.each([
    ['127.0.0.1 with the port', () => `127.0.0.1:${server.port}`],
    ['localhost with the port', () => `localhost:${server.port}`],
    ['LOCALHOST in capitals (host names are case-insensitive)', () => `LOCALHOST:${server.port}`],
    ['[::1] with the port', () => `[::1]:${server.port}`],
  ])('opens the socket for %s (the controls)', async (_what, host) => {
    const r = await rawExchange(server.port, upgrade([host()]));
    expect(r.status, r.body).toBe(101);
    expect(r.head.toLowerCase()).toContain('upgrade: websocket');
  });

  it.each([
    ['a rebinding name with our port', () => [`evil.example:${server.port}`]],
    ['a rebinding name without a port', () => ['evil.example']],
    ['our address without the port', () => ['127.0.0.1']],
    ['our address with another port', () => [`127.0.0.1:${server.port === 65_535 ? 1 : server.port + 1}`]],
    ['a name that only starts with ours', () => [`localhost.evil.example:${server.port}`]],
    ['our name as a suffix of another', () => [`evil-localhost:${server.port}`]],
    ['userinfo in front of our address', () => [`evil@127.0.0.1:${server.port}`]],
    ['an empty Host', () => ['']],
    ['no Host header at all', () => []],
    ['a rebinding name first, ours second (the first Host counts)', () => [`evil.example:${server.port}`, `127.0.0.1:${server.port}`]],
  ])('refuses the upgrade from %s with 403 FORBIDDEN_HOST and closes the socket', async (_what, hosts) => {
    const r = await rawExchange(server.port, upgrade(hosts()));
    expect(r.status, r.head).toBe(403);
    expect(errorCode(r.body)).toBe('FORBIDDEN_HOST');
  });
});

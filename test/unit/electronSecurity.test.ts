import { describe, expect, it } from 'vitest';
import { resolve, sep } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { APP_ENTRY_URL, isAppUrl } from '../../src-main/electron/security/appOrigin';
import { isTrustedSender } from '../../src-main/electron/security/ipcSender';
import { isVettedExternalUrl } from '../../src-main/electron/security/externalUrls';
import { CONTENT_SECURITY_POLICY, CSP_DIRECTIVES, buildCsp } from '../../src-main/electron/security/contentSecurityPolicy';
import { resolveAppRequest } from '../../src-main/electron/security/resolveAppRequest';
import { needs } from '../support/requirements';
import { secureWebPreferences } from '../../src-main/electron/security/webPreferences';

/** Parses a CSP header into directive → sources, the way a browser reads it. */
function parseCsp(header: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name, values);
  }
  return out;
}

describe('desktop content security policy', () => {
  const csp = parseCsp(CONTENT_SECURITY_POLICY);

  it('denies everything by default and allows scripts only from the app itself', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
  });

  it('never allows inline code, eval, remote hosts or wildcards in any directive (inline styles only, for plotly)', () => {
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    for (const [name, values] of csp) {
      for (const v of values) {
        if (name === 'style-src' && v === "'unsafe-inline'") continue;
        expect(v, `${name} ${v}`).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|\*|^https?:|^http|^ws/);
      }
    }
  });

  it('forbids plugins, base-tag hijacking, form posts and framing', () => {
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('serializes directives in header syntax', () => {
    expect(buildCsp({ 'default-src': ["'none'"], 'img-src': ["'self'", 'data:'] })).toBe("default-src 'none'; img-src 'self' data:");
    expect(parseCsp(buildCsp(CSP_DIRECTIVES)).size).toBe(Object.keys(CSP_DIRECTIVES).length);
  });
});

describe('IPC sender validation', () => {
  it('accepts the top frame of the app origin', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://bullpen/index.html#/workspace', parent: null })).toBe(true);
  });

  it.each([
    ['a remote page', 'https://evil.example/index.html'],
    ['a local file', 'file:///work/main/out/renderer/index.html'],
    ['another app host', 'app://bullpen.evil/index.html'],
    ['a lookalike host with userinfo', 'app://bullpen@evil/index.html'],
    ['credentials on our host', 'app://user:pw@bullpen/index.html'],
    ['a port on our host', 'app://bullpen:8080/index.html'],
    ['the serve-mode origin', 'http://127.0.0.1:7420/'],
    ['about:blank', 'about:blank'],
    ['an empty URL', ''],
    ['a data URL', 'data:text/html,<script>1</script>'],
  ])('refuses %s', (_what, url) => {
    expect(isTrustedSender({ url, parent: null })).toBe(false);
  });

  it('refuses a subframe even on the app origin, and a destroyed frame', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: {} })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });

  it('recognizes only exact app URLs', () => {
    expect(isAppUrl('app://bullpen/')).toBe(true);
    // Chromium lowercases hosts of standard schemes before we see them; anything else is refused.
    expect(isAppUrl('app://BULLPEN/')).toBe(false);
    expect(isAppUrl('apps://bullpen/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('shell.openExternal vetting', () => {
  it('allows plain https links to allow-listed documentation hosts', () => {
    expect(isVettedExternalUrl('https://github.com/microsoft/LightGBM')).toBe(true);
    expect(isVettedExternalUrl('https://mlflow.org/docs/latest/index.html')).toBe(true);
  });

  it.each([
    ['http (not https)', 'http://github.com/'],
    ['a file URL', 'file:///etc/passwd'],
    ['a custom scheme that launches programs', 'ms-msdt:/id PCWDiagnostic'],
    ['smb shares', 'smb://github.com/share'],
    ['javascript:', 'javascript:alert(1)'],
    ['an unknown host', 'https://evil.example/'],
    ['a lookalike suffix host', 'https://github.com.evil.example/'],
    ['a lookalike with userinfo', 'https://github.com@evil.example/'],
    ['credentials', 'https://user:pw@github.com/'],
    ['a non-default port', 'https://github.com:8443/'],
    ['garbage', 'not a url'],
    ['an overlong URL', `https://github.com/${'a'.repeat(3000)}`],
  ])('refuses %s', (_what, url) => {
    expect(isVettedExternalUrl(url)).toBe(false);
  });
});

describe('app:// protocol file resolution', () => {
  const root = resolve('/srv/bullpen/out/renderer');

  it('serves index.html for the root and files under the renderer folder with their type', () => {
    const rootReq = resolveAppRequest(root, 'app://bullpen/');
    expect(rootReq).toEqual({ ok: true, filePath: resolve(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
    const asset = resolveAppRequest(root, 'app://bullpen/assets/index-abc.js?v=1#x');
    expect(asset.ok && asset.filePath).toBe(resolve(root, 'assets', 'index-abc.js'));
    expect(asset.ok && asset.contentType).toBe('text/javascript; charset=utf-8');
  });

  // Each attempt has one expected outcome: the URL parser folds plain and encoded dot segments into the
  // root (so they name a file inside it), and what survives decoding to climb out is refused.
  it.each([
    ['dot segments', 'app://bullpen/../../etc/passwd.txt', { ok: true, filePath: resolve(root, 'etc', 'passwd.txt') }],
    ['encoded dot segments', 'app://bullpen/%2e%2e/%2e%2e/etc/passwd.txt', { ok: true, filePath: resolve(root, 'etc', 'passwd.txt') }],
    ['encoded slashes', 'app://bullpen/assets%2f..%2f..%2f..%2fsecret.json', { ok: false, status: 403 }],
    // A backslash separates paths only on Windows; elsewhere it is part of a file name inside the root.
    [
      'backslashes',
      'app://bullpen/..%5c..%5csecret.json',
      process.platform === 'win32' ? { ok: false, status: 403 } : { ok: true, filePath: resolve(root, '..\\..\\secret.json') },
    ],
  ])('never leaves the renderer folder with %s', (_what, url, expected) => {
    const r = resolveAppRequest(root, url);
    expect(r).toMatchObject(expected);
    expect(!r.ok || r.filePath.startsWith(root + sep)).toBe(true);
  });

  it('refuses other hosts, other schemes, NUL bytes and unknown file types', () => {
    expect(resolveAppRequest(root, 'app://other/index.html')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppRequest(root, 'https://bullpen/index.html')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppRequest(root, 'app://bullpen/index.html%00.js')).toMatchObject({ ok: false, status: 400 });
    expect(resolveAppRequest(root, 'app://bullpen/secrets.duckdb')).toMatchObject({ ok: false, status: 404 });
    expect(resolveAppRequest(root, 'app://bullpen/%E0%A4%A')).toMatchObject({ ok: false, status: 400 });
  });
});

describe('window webPreferences', () => {
  it('isolates, sandboxes and denies Node to the renderer, with web security on', () => {
    const prefs = secureWebPreferences('/app/out/preload/preload.js');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });
});

describe('preload bridge (built out/preload/preload.js)', () => {
  const preloadFile = resolve(__dirname, '..', '..', 'out', 'preload', 'preload.js');
  const built = needs('the built preload (out/preload/preload.js)', existsSync(preloadFile), 'npm run build');

  /** Runs the built preload with a stand-in for Electron's module and returns what it exposed. */
  function loadPreload() {
    const exposed = new Map<string, unknown>();
    const invoked: unknown[][] = [];
    const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
    const electronStub = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: (...args: unknown[]) => {
          invoked.push(args);
          return Promise.resolve({ ok: true, output: null });
        },
        on: (channel: string, fn: (...args: unknown[]) => void) => {
          if (!listeners.has(channel)) listeners.set(channel, new Set());
          listeners.get(channel)?.add(fn);
        },
        removeListener: (channel: string, fn: (...args: unknown[]) => void) => listeners.get(channel)?.delete(fn),
      },
    };
    const requireStub = (id: string) => {
      if (id === 'electron') return electronStub;
      throw new Error(`the sandboxed preload may only require electron, not ${id}`);
    };
    runInNewContext(readFileSync(preloadFile, 'utf8'), { require: requireStub, module: { exports: {} }, exports: {}, Promise, TypeError });
    return { exposed, invoked, listeners, electronStub };
  }

  it.skipIf(!built)('exposes only window.bullpen with call and onEvent, never ipcRenderer', () => {
    const { exposed, electronStub } = loadPreload();
    expect([...exposed.keys()]).toEqual(['bullpen']);
    const api = exposed.get('bullpen') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['call', 'onEvent']);
    for (const value of Object.values(api)) expect(value).not.toBe(electronStub.ipcRenderer);
  });

  it.skipIf(!built)('forwards calls on bullpen:call and events from bullpen:event, and unsubscribes', async () => {
    const { exposed, invoked, listeners } = loadPreload();
    const api = exposed.get('bullpen') as {
      call: (op: unknown, input: unknown) => Promise<unknown>;
      onEvent: (cb: (e: unknown) => void) => () => void;
    };
    await api.call('jobs.list', { limit: 5 });
    expect(invoked).toEqual([['bullpen:call', 'jobs.list', { limit: 5 }]]);
    await expect(api.call(42, {})).rejects.toThrow(/op must be a string/);
    const seen: unknown[] = [];
    const off = api.onEvent((e) => seen.push(e));
    for (const fn of listeners.get('bullpen:event') ?? []) fn({ sender: 'ignored' }, { type: 'log' });
    expect(seen).toEqual([{ type: 'log' }]);
    off();
    expect(listeners.get('bullpen:event')?.size).toBe(0);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';

// Outside Electron the `electron` package is only the binary's path (and throws when the binary is
// missing), so its one runtime use here, shell.openExternal, is a recorder. The code under test is real.
const opened = vi.hoisted(() => [] as string[]);
vi.mock('electron', () => ({
  shell: {
    openExternal: async (url: string) => {
      opened.push(url);
    },
  },
}));

import { hardenContents } from '../../src-main/electron/security/hardenContents';
import { hardenSession } from '../../src-main/electron/security/hardenSession';

/** An event as Electron passes it to will-navigate and friends: a URL and preventDefault. */
interface FakeEvent {
  url: string;
  defaultPrevented: boolean;
  preventDefault(): void;
}

function event(url: string): FakeEvent {
  return {
    url,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

type WindowOpenHandler = (details: { url: string }) => { action: string };

/** The part of webContents hardenContents uses, recording every handler it installs. */
function fakeContents() {
  const listeners = new Map<string, ((e: FakeEvent) => void)[]>();
  let windowOpen: WindowOpenHandler | null = null;
  const contents = {
    on(name: string, fn: (e: FakeEvent) => void) {
      listeners.set(name, [...(listeners.get(name) ?? []), fn]);
      return contents;
    },
    setWindowOpenHandler(fn: WindowOpenHandler) {
      windowOpen = fn;
    },
  };
  return {
    contents: contents as unknown as WebContents,
    listeners,
    /** Fires one event at every listener for it, as Electron would, and returns the event. */
    emit(name: string, url: string): FakeEvent {
      const handlers = listeners.get(name) ?? [];
      expect(handlers.length, `a ${name} listener`).toBeGreaterThan(0);
      const e = event(url);
      for (const fn of handlers) fn(e);
      return e;
    },
    openWindow(url: string) {
      expect(windowOpen, 'a window-open handler').not.toBeNull();
      return windowOpen!({ url });
    },
  };
}

const APP_URLS = ['app://bullpen/index.html', 'app://bullpen/index.html#/experiments', 'app://bullpen/'];
const VETTED = 'https://github.com/microsoft/LightGBM';
/** Places a compromised page might try to go; none is ours and none is a vetted documentation link. */
const HOSTILE = [
  'https://evil.example/phish',
  'http://github.com/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/html,<script>1</script>',
  'app://bullpen.evil/index.html',
  'app://bullpen@evil/index.html',
  'app://bullpen:8080/index.html',
  'http://127.0.0.1:7420/',
  'ms-msdt:/id PCWDiagnostic',
  'about:blank',
  '',
];

describe('hardenContents (navigation, redirects, frames, webviews and window.open)', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    opened.length = 0;
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('installs a guard for every way a page can leave the app', () => {
    const c = fakeContents();
    hardenContents(c.contents);
    expect([...c.listeners.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    expect(c.openWindow(APP_URLS[0])).toEqual({ action: 'deny' });
  });

  it('lets the window navigate within app://bullpen', () => {
    const c = fakeContents();
    hardenContents(c.contents);
    for (const url of APP_URLS) {
      for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
        expect(c.emit(name, url).defaultPrevented, `${name} ${url}`).toBe(false);
      }
    }
    expect(opened).toEqual([]);
  });

  it.each(HOSTILE)('refuses to navigate, frame-navigate or redirect to %j, and never hands it to the OS', (url) => {
    const c = fakeContents();
    hardenContents(c.contents);
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(c.emit(name, url).defaultPrevented, name).toBe(true);
    }
    expect(opened).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1); // the refused top-level navigation is logged
  });

  it('opens a vetted documentation link in the system browser instead of navigating the window to it', () => {
    const c = fakeContents();
    hardenContents(c.contents);
    expect(c.emit('will-navigate', VETTED).defaultPrevented).toBe(true);
    expect(opened).toEqual([VETTED]);
    // A frame or a redirect never opens anything outside, even for a vetted URL.
    expect(c.emit('will-frame-navigate', VETTED).defaultPrevented).toBe(true);
    expect(c.emit('will-redirect', VETTED).defaultPrevented).toBe(true);
    expect(opened).toEqual([VETTED]);
  });

  it('never attaches a <webview>, whatever it points at', () => {
    const c = fakeContents();
    hardenContents(c.contents);
    for (const url of [APP_URLS[0], VETTED, HOSTILE[0]]) expect(c.emit('will-attach-webview', url).defaultPrevented).toBe(true);
  });

  it('denies every window.open: vetted links go to the system browser, everything else is dropped', () => {
    const c = fakeContents();
    hardenContents(c.contents);
    for (const url of [...APP_URLS, VETTED, ...HOSTILE]) expect(c.openWindow(url), url).toEqual({ action: 'deny' });
    expect(opened).toEqual([VETTED]);
    expect(warn).toHaveBeenCalledTimes(APP_URLS.length + HOSTILE.length);
  });
});

type PermissionRequest = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
type BeforeRequest = (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void;

/** The part of a session hardenSession uses, recording every handler it installs. */
function fakeSession() {
  const handlers: {
    request?: PermissionRequest;
    check?: (...args: unknown[]) => boolean;
    device?: (...args: unknown[]) => boolean;
    beforeRequest?: BeforeRequest;
  } = {};
  const ses = {
    setPermissionRequestHandler: (fn: PermissionRequest) => (handlers.request = fn),
    setPermissionCheckHandler: (fn: (...args: unknown[]) => boolean) => (handlers.check = fn),
    setDevicePermissionHandler: (fn: (...args: unknown[]) => boolean) => (handlers.device = fn),
    webRequest: { onBeforeRequest: (fn: BeforeRequest) => (handlers.beforeRequest = fn) },
  };
  return { session: ses as unknown as Session, handlers };
}

/** Permission names Electron asks about (a sample across media, devices, system and web APIs). */
const PERMISSIONS = [
  'media',
  'notifications',
  'geolocation',
  'clipboard-read',
  'clipboard-sanitized-write',
  'fullscreen',
  'openExternal',
  'pointerLock',
  'midi',
  'midiSysex',
  'hid',
  'serial',
  'usb',
  'display-capture',
  'idle-detection',
  'storage-access',
  'window-management',
  'keyboardLock',
  'speaker-selection',
  'fileSystem',
  'unknown',
];

describe('hardenSession (permissions and outgoing requests)', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('answers every permission request no, and every permission and device check false', () => {
    const { session, handlers } = fakeSession();
    hardenSession(session);
    expect(handlers.request && handlers.check && handlers.device).toBeTruthy();
    for (const permission of PERMISSIONS) {
      const answers: boolean[] = [];
      handlers.request!({}, permission, (granted) => answers.push(granted), { requestingUrl: 'app://bullpen/index.html' });
      expect(answers, permission).toEqual([false]);
      expect(handlers.check!({}, permission, 'app://bullpen', { requestingUrl: 'app://bullpen/index.html' }), permission).toBe(false);
    }
    for (const deviceType of ['hid', 'serial', 'usb']) expect(handlers.device!({ deviceType, origin: 'app://bullpen' })).toBe(false);
  });

  it.each([
    ['the app itself', 'app://bullpen/index.html'],
    ['an app asset', 'app://bullpen/assets/index-abc.js'],
    ["DevTools' pages", 'devtools://devtools/bundled/inspector.html'],
  ])('lets the window load %s', (_what, url) => {
    const { session, handlers } = fakeSession();
    hardenSession(session);
    const responses: { cancel: boolean }[] = [];
    handlers.beforeRequest!({ url }, (r) => responses.push(r));
    expect(responses).toEqual([{ cancel: false }]);
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ['a remote https page', 'https://evil.example/x.js'],
    ['plain http', 'http://evil.example/'],
    ['the serve-mode API on loopback', 'http://127.0.0.1:7420/api/ops/jobs.list'],
    ['a WebSocket', 'ws://127.0.0.1:7420/api/events'],
    ['a local file', 'file:///etc/passwd'],
    ['an unparsable URL', 'not a url'],
  ])('cancels a request for %s and logs it', (_what, url) => {
    const { session, handlers } = fakeSession();
    hardenSession(session);
    const responses: { cancel: boolean }[] = [];
    handlers.beforeRequest!({ url }, (r) => responses.push(r));
    expect(responses).toEqual([{ cancel: true }]);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_RESPONSE_HEADERS } from '../../src-main/electron/security/contentSecurityPolicy';
import { resolveAppRequest } from '../../src-main/electron/security/resolveAppRequest';
import { needs } from '../support/requirements';
import { hasChromium, launchBrowser, screenshot, watchConsole, type BrowserHandle } from './support/browser';

const rendererRoot = resolve(__dirname, '..', '..', 'out', 'renderer');
const built = needs('the built renderer (out/renderer)', existsSync(resolve(rendererRoot, 'index.html')), 'npm run build');

/**
 * Electron cannot run here, so this serves the built UI the way the app:// protocol handler does (same
 * path resolution, same CSP and hardening headers) over HTTP, and checks in real Chromium that the
 * policy lets the app run while blocking what it must.
 */
describe.skipIf(!built || !hasChromium())('desktop CSP against the built renderer', () => {
  let server: Server;
  let origin = '';
  let browser: BrowserHandle;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const resolved = resolveAppRequest(rendererRoot, `app://bullpen${req.url ?? '/'}`);
      const send = (status: number, body: string | Buffer, type: string) => {
        res.writeHead(status, { ...APP_RESPONSE_HEADERS, 'Content-Type': type });
        res.end(body);
      };
      if (!resolved.ok) return send(resolved.status, resolved.reason, 'text/plain');
      readFile(resolved.filePath).then(
        (body) => send(200, body, resolved.contentType),
        () => send(404, 'not found', 'text/plain'),
      );
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
  });

  it('runs the app shell, its styles and its lazily loaded screen with no CSP violation', async () => {
    const page = await browser.context.newPage();
    const lines = watchConsole(page);
    await page.addInitScript(() => {
      const violations: string[] = [];
      (window as unknown as { __cspViolations: string[] }).__cspViolations = violations;
      document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    // A token so the shell renders; there is no engine behind this server, so calls fail visibly.
    await page.goto(`${origin}/#token=csp-check`);
    await page.waitForSelector('[data-testid="screen-workspace"]');
    await page.waitForSelector('[data-testid="error-banner"]');
    const sidebarBackground = await page.$eval('nav.sidebar', (el) => getComputedStyle(el).backgroundColor);
    expect(sidebarBackground).toBe('rgb(22, 32, 44)');
    expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations), lines().join('\n')).toEqual([]);
    expect(await page.textContent('[data-testid="error-hint"]')).toMatch(/bullpen serve/);
    await screenshot(page, 'desktop-csp-no-engine');
    await page.close();
  });

  it('blocks inline scripts and remote content', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${origin}/#token=csp-check`);
    await page.waitForSelector('[data-testid="screen-workspace"]');
    const outcome = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const w = window as unknown as { __inlineRan?: boolean };
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.appendChild(s);
      const remoteFetched = await fetch('https://example.com/').then(
        () => true,
        () => false,
      );
      // Violation events are dispatched asynchronously.
      await new Promise((r) => setTimeout(r, 0));
      return { inlineRan: w.__inlineRan === true, remoteFetched, violations };
    });
    expect(outcome.inlineRan).toBe(false);
    expect(outcome.remoteFetched).toBe(false);
    expect(outcome.violations).toEqual(expect.arrayContaining(['script-src-elem', 'connect-src']));
    await page.close();
  });
});

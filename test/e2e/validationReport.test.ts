import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderValidationReport } from '../../src-main/engine/validation/reportHtml';
import type { ValidationReport } from '../../src-main/shared/results';
import { unmeasuredValidationReportFixture, validationReportFixture } from '../support/validationReportFixture';
import { hasChromium, launchBrowser, screenshot, type BrowserHandle } from './support/browser';

const HOSTILE_NAME = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

interface Opened {
  page: Page;
  url: string;
  /** Console messages of type error, page errors, failed requests, any request besides the page itself, and CSP violations. */
  problems: () => string[];
}

/**
 * Opens the page as a stored report is opened (a file on disk), recording everything that would be a defect:
 * console errors, uncaught errors, requests of any kind beyond the page and failed requests, CSP violations.
 */
async function openReport(browser: BrowserHandle, dir: string, name: string, report: ValidationReport): Promise<Opened> {
  const path = join(dir, `${name}.html`);
  await writeFile(path, renderValidationReport(report));
  const url = pathToFileURL(path).href;
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`[console ${m.type()}] ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`[pageerror] ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== url) problems.push(`[request] ${r.url()}`);
  });
  page.on('requestfailed', (r) => problems.push(`[requestfailed] ${r.url()} ${r.failure()?.errorText ?? ''}`));
  // Injected by the browser (not by the page, whose CSP forbids scripts) so violations are counted from the first byte.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, url, problems: () => problems };
}

const violations = (page: Page) => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

describe.skipIf(!hasChromium())('validation report HTML in headless Chromium', () => {
  let browser: BrowserHandle;
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bullpen-report-'));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders the full report with its gates table and charts, no console error, no request and no CSP violation', async () => {
    const report = validationReportFixture();
    const { page, problems } = await openReport(browser, dir, 'full', report);
    expect(await page.$$eval('#gates-table tbody tr', (rows) => rows.length)).toBe(report.gates.length);
    expect(await page.$$eval('#gates-table tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.gate))).toEqual(
      report.gates.map((g) => g.name),
    );
    expect(await page.textContent('#status')).toBe('FAILED');
    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((s) => {
        const box = s.getBoundingClientRect();
        return {
          name: (s as SVGElement).dataset.chart,
          width: box.width,
          height: box.height,
          marks: s.querySelectorAll('path.series, circle, rect.bar, line.interval').length,
        };
      }),
    );
    expect(charts.map((c) => c.name)).toEqual(['calibration', 'roi', 'equity', 'drawdown', 'flat-units', 'path-sharpes']);
    for (const c of charts) {
      expect(c.width, c.name).toBeGreaterThan(100);
      expect(c.height, c.name).toBeGreaterThan(50);
      expect(c.marks, c.name).toBeGreaterThan(0);
    }
    expect(await page.$$eval('table.heat tbody tr', (rows) => rows.length)).toBe(report.charts.importanceStability.features.length);
    expect(await page.$$eval('script', (s) => s.length)).toBe(0);
    await screenshot(page, 'validation-report-full');
    expect(await violations(page)).toEqual([]);
    expect(problems()).toEqual([]);
    await page.close();
  });

  it('shows a hostile model name as text: no script runs and no element is injected', async () => {
    const { page, problems } = await openReport(browser, dir, 'hostile', validationReportFixture({ modelName: HOSTILE_NAME }));
    expect(await page.textContent('#model-name')).toBe(HOSTILE_NAME);
    expect(await page.title()).toBe(`Validation of ${HOSTILE_NAME}: FAILED`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? 0)).toBe(0);
    expect(await page.$$eval('script, img, iframe, object, embed', (els) => els.length)).toBe(0);
    expect(await violations(page)).toEqual([]);
    expect(problems()).toEqual([]);
    await page.close();
  });

  it("enforces the page's own CSP: an image URL added later is blocked before it reaches the network", async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tracker.png`;
      const { page, problems } = await openReport(browser, dir, 'csp', validationReportFixture());
      const blocked = await page.evaluate(
        (src) =>
          new Promise<string>((done) => {
            document.addEventListener('securitypolicyviolation', (e) => done(`${e.violatedDirective} ${e.blockedURI}`), { once: true });
            const img = document.createElement('img');
            img.src = src;
            document.body.append(img);
          }),
        target,
      );
      expect(blocked).toBe(`img-src ${target}`);
      // Playwright reports the attempt; the browser must have refused it, and the server never saw it.
      expect(problems().filter((p) => p.startsWith('[requestfailed]'))).toEqual([`[requestfailed] ${target} csp`]);
      expect(hits).toBe(0);
      await page.close();
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('renders a report with nothing measured: every gate row, no chart, no error', async () => {
    const report = unmeasuredValidationReportFixture();
    const { page, problems } = await openReport(browser, dir, 'unmeasured', report);
    expect(await page.$$eval('#gates-table tbody tr.fail', (rows) => rows.length)).toBe(report.gates.length);
    expect(await page.$$eval('svg.chart', (svgs) => svgs.length)).toBe(0);
    expect(await page.$$eval('p.empty', (ps) => ps.length)).toBeGreaterThanOrEqual(6);
    expect(await page.textContent('body')).not.toMatch(/NaN|undefined|Infinity/);
    await screenshot(page, 'validation-report-unmeasured');
    expect(await violations(page)).toEqual([]);
    expect(problems()).toEqual([]);
    await page.close();
  });
});

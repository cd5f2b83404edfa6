import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, type TestContext } from 'vitest';
import { launchBrowser, screenshot, watchConsole, type BrowserHandle } from './browser';
import { startServe, type ServeHandle } from './serve';

/** What an e2e test file works with: a running `bullpen serve` on a fresh workspace, and a page on it. */
export interface Workbench {
  serve: ServeHandle;
  browser: BrowserHandle;
  page: Page;
  /** Console lines and page errors of the current page. */
  consoleLines(): string[];
  /** Content-Security-Policy violations the current page reported (should stay empty). */
  cspViolations(): Promise<string[]>;
  /** Opens a screen by its registry id (`workspace`, later `data`, `features`, …) and waits for it. */
  openScreen(id: string): Promise<void>;
}

/**
 * Registers the hooks every screen's e2e file needs: one serve process and one browser per file, a new
 * page per test opened on the printed URL (token and all), a screenshot in test-results/ when a test
 * fails, and cleanup. Call it at the top of a `describe`; read the fields inside tests.
 */
export function useWorkbench(options: { workspaceFile?: string; serveArgs?: string[]; serveEnv?: Record<string, string> } = {}): Workbench {
  let dir = '';
  let lines: () => string[] = () => [];
  const wb = {} as Workbench;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bullpen-e2e-'));
    wb.serve = await startServe(join(dir, options.workspaceFile ?? 'workspace.duckdb'), options.serveArgs, options.serveEnv);
    wb.browser = await launchBrowser();
  });

  beforeEach(async () => {
    wb.page = await wb.browser.context.newPage();
    lines = watchConsole(wb.page);
    wb.consoleLines = () => lines();
    await wb.page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await wb.page.goto(wb.serve.url);
  });

  afterEach(async (ctx: TestContext) => {
    const state = ctx.task.result?.state;
    if (state === 'fail' && wb.page) {
      const path = await screenshot(wb.page, `FAILED-${ctx.task.name}`).catch(() => null);
      console.error(
        `e2e failure in "${ctx.task.name}"; screenshot: ${path}\npage console:\n${lines().join('\n')}\nserve output:\n${wb.serve?.log()}`,
      );
    }
    await wb.page?.close();
  });

  afterAll(async () => {
    await wb.browser?.close();
    await wb.serve?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  wb.cspViolations = () => wb.page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
  wb.openScreen = async (id: string) => {
    await wb.page.click(`[data-testid="nav-${id}"]`);
    await wb.page.waitForSelector(`[data-testid="screen-${id}"]`);
  };
  return wb;
}

import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { needs } from '../../support/requirements';

/** Debian's Chromium; playwright-core never downloads a browser of its own. */
export const CHROMIUM_PATH = process.env.BULLPEN_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = resolve(__dirname, '..', '..', '..', 'test-results');

/** Flags that keep Chromium quiet, offline and reproducible in a container. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** True when the browser is there; otherwise skip (or fail under BULLPEN_REQUIRE_ALL=1) with how to get it. */
export const hasChromium = (): boolean =>
  needs(
    `Chromium at ${CHROMIUM_PATH}`,
    existsSync(CHROMIUM_PATH),
    'apt-get update && apt-get install -y chromium (or set BULLPEN_CHROMIUM)',
  );

export interface BrowserHandle {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile (its own --user-data-dir), removed again on close. */
export async function launchBrowser(): Promise<BrowserHandle> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'bullpen-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 840 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

const safeName = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 120);

/** Saves a full-page screenshot into test-results/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${safeName(name)}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Collects what the page printed to its console and any uncaught errors, for failure messages. */
export function watchConsole(page: Page): () => string[] {
  const lines: string[] = [];
  page.on('console', (msg) => lines.push(`[${msg.type()}] ${msg.text()}`));
  page.on('pageerror', (err) => lines.push(`[pageerror] ${err.message}`));
  return () => lines;
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, screenshot } from './support/browser';
import { useWorkbench } from './support/workbench';

const fixtures = resolve(__dirname, '..', 'fixtures', 'retrosheet');
const JOB_TIMEOUT_MS = 60_000;
/** GL2016mini.TXT holds nine 2016 games. */
const MINI_GAMES = 9;

/** Opens the Data screen and waits until it shows the engine's answer; returns the game count it shows. */
async function openData(page: Page, open: (id: string) => Promise<void>): Promise<number> {
  await open('data');
  await page.waitForSelector('[data-testid="screen-data"][data-loaded="true"]');
  return Number(await page.getAttribute('[data-testid="screen-data"]', 'data-games'));
}

async function importThroughPage(page: Page, kind: string, file: string): Promise<void> {
  await page.check(`[data-testid="import-kind-${kind}"]`, { force: true });
  await page.setInputFiles('[data-testid="import-file"]', file);
  await page.click('[data-testid="import-run"]');
}

describe.skipIf(!hasChromium())('Data screen (serve mode, headless Chromium)', () => {
  const wb = useWorkbench();

  it('imports a Retrosheet game log uploaded through the page and shows the new counts', async () => {
    const { page } = wb;
    expect(await openData(page, wb.openScreen)).toBe(0);
    await importThroughPage(page, 'retrosheet', resolve(fixtures, 'GL2016mini.TXT'));
    await page.waitForSelector('[data-testid="import-result"]');
    expect(await page.textContent('[data-testid="import-inserted"]')).toBe(String(MINI_GAMES));
    await page.waitForSelector(`[data-testid="screen-data"][data-games="${MINI_GAMES}"]`);
    expect(await page.textContent('[data-testid="data-games"]')).toBe(String(MINI_GAMES));
    expect(await page.getAttribute('[data-testid="season-row"][data-season="2016"]', 'data-games')).toBe(String(MINI_GAMES));
    expect(await page.textContent('[data-testid="import-row"][data-kind="retrosheet"]')).toContain('GL2016mini.TXT');
    expect(await page.$$('[data-testid="quality-check"]')).not.toHaveLength(0);
    expect(await page.$('[data-testid="data-synthetic"]')).toBeNull();
    expect(await wb.cspViolations()).toEqual([]);
    await screenshot(page, 'data-after-import');
  });

  it('shows a malformed file’s file, line, field and value with what to do, and changes nothing', async () => {
    const { page } = wb;
    const before = await openData(page, wb.openScreen);
    await importThroughPage(page, 'retrosheet', resolve(fixtures, 'bad_score.TXT'));
    await page.waitForSelector('[data-testid="import-error"]');
    expect(await page.getAttribute('[data-testid="import-error"]', 'data-code')).toBe('INVALID_NUMBER');
    expect(await page.textContent('[data-testid="import-error-file"]')).toBe('bad_score.TXT');
    expect(Number(await page.textContent('[data-testid="import-error-line"]'))).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid="import-error-field"]')).toMatch(/score/);
    expect(await page.textContent('[data-testid="import-error-value"]')).not.toBe('');
    expect(await page.textContent('[data-testid="import-error-hint"]')).toContain('workspace is unchanged');
    await screenshot(page, 'data-import-error');
    await page.click('[data-testid="data-refresh"]');
    await page.waitForSelector('[data-testid="screen-data"][data-loaded="true"]');
    expect(Number(await page.getAttribute('[data-testid="screen-data"]', 'data-games'))).toBe(before);
    expect(await page.$$('[data-testid="import-row"]')).toHaveLength(1);
  });

  it('refuses a file that would erase a final result until the user allows it, then lists the replacement', async () => {
    const { page } = wb;
    await openData(page, wb.openScreen);
    // TOR@NYA on 2016-04-08 is final in GL2016mini.TXT; this row has no scores.
    const file = join(mkdtempSync(join(tmpdir(), 'bullpen-e2e-')), 'erase.csv');
    writeFileSync(file, 'date,game_number,home,away,home_score,away_score\n2016-04-08,0,NYA,TOR,,\n');
    await importThroughPage(page, 'games', file);
    await page.waitForSelector('[data-testid="import-error"]');
    expect(await page.getAttribute('[data-testid="import-error"]', 'data-code')).toBe('RESULT_CHANGED');
    expect(await page.textContent('[data-testid="import-error-hint"]')).toContain('replace final results');
    await page.check('[data-testid="import-replace-results"]');
    await page.click('[data-testid="import-run"]');
    await page.waitForSelector('[data-testid="import-changed-results"]');
    expect(await page.textContent('[data-testid="import-changed-results"]')).toContain('NYA201604080');
    await screenshot(page, 'data-import-replaced-result');
  });
});

describe.skipIf(!hasChromium())('Data screen demo-league builder (serve mode, headless Chromium)', () => {
  const wb = useWorkbench();

  it('builds a small demo league from the page, shows its progress to completion and labels the data synthetic', async () => {
    const { page } = wb;
    expect(await openData(page, wb.openScreen)).toBe(0);
    await page.fill('[data-testid="demo-seasons"]', '2019');
    await page.click('[data-testid="demo-build"]');
    const row = '[data-testid="demo-jobs"] [data-testid="job-row"]';
    await page.waitForSelector(row);
    await page.waitForSelector(`${row}[data-state="completed"]`, { timeout: JOB_TIMEOUT_MS });
    expect(await page.getAttribute(row, 'data-progress')).toBe('1');
    await page.waitForSelector('[data-testid="data-synthetic"]');
    const games = Number(await page.getAttribute('[data-testid="screen-data"]', 'data-games'));
    expect(games).toBe(2430);
    expect(await page.getAttribute('[data-testid="season-row"][data-season="2019"]', 'data-games')).toBe('2430');
    await screenshot(page, 'data-demo-built');
  });
});

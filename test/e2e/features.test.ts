import { describe, expect, it } from 'vitest';
import { hasChromium, screenshot } from './support/browser';
import { useWorkbench } from './support/workbench';

const JOB_TIMEOUT_MS = 90_000;

/**
 * Starts on an empty workspace with the first-start demo build switched on (one season, to stay quick),
 * so this file also checks the first-start rule (an empty workspace gets the demo league); the Features
 * screen then works on that league.
 */
describe.skipIf(!hasChromium())('first start and the Features screen (serve mode, headless Chromium)', () => {
  const wb = useWorkbench({ serveEnv: { BULLPEN_AUTO_DEMO: '2019' } });

  it('builds the demo league on first start with a visible progress bar, once', async () => {
    const { page, serve } = wb;
    await page.waitForSelector('[data-testid="first-start"] [data-testid="first-start-progress"]');
    await page.waitForSelector('[data-testid="first-start"][data-state="completed"]', { timeout: JOB_TIMEOUT_MS });
    expect(await page.getAttribute('[data-testid="first-start-progress"]', 'value')).toBe('1');
    await screenshot(page, 'first-start-done');

    // Opening the app again neither rebuilds nor shows the banner.
    await page.reload();
    await wb.openScreen('data');
    await page.waitForSelector('[data-testid="screen-data"][data-loaded="true"]');
    expect(await page.getAttribute('[data-testid="screen-data"]', 'data-games')).toBe('2430');
    expect(await page.$('[data-testid="data-synthetic"]')).not.toBeNull();
    expect(await page.$('[data-testid="first-start"]')).toBeNull();
    const jobs = await page.evaluate(async (token) => {
      const res = await fetch('/api/ops/jobs.list', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: '{}',
      });
      return ((await res.json()) as { jobs: { kind: string }[] }).jobs.filter((j) => j.kind === 'demo.build').length;
    }, serve.token);
    expect(jobs).toBe(1);
  });

  it('materializes the default set from the page and shows its quality', async () => {
    const { page } = wb;
    await wb.openScreen('features');
    await page.waitForSelector('[data-testid="screen-features"][data-loaded="true"]');
    await page.click('[data-testid="materialize-run"]');
    const row = '[data-testid="materialize-jobs"] [data-testid="job-row"]';
    await page.waitForSelector(`${row}[data-state="completed"]`, { timeout: JOB_TIMEOUT_MS });
    await page.waitForSelector('[data-testid="set-quality-row"][data-feature="elo_diff"]');
    expect((await page.$$('[data-testid="set-quality-row"]')).length).toBeGreaterThan(10);
  });

  it('finds a feature by search and shows its versions, SQL, lineage graph and quality', async () => {
    const { page } = wb;
    await wb.openScreen('features');
    await page.waitForSelector('[data-testid="screen-features"][data-loaded="true"]');
    await page.fill('[data-testid="feature-search"]', 'elo_diff');
    await page.waitForFunction(() => {
      const items = [...document.querySelectorAll<HTMLElement>('[data-testid="feature-item"]')];
      return items.length > 0 && items.every((i) => (i.dataset.feature ?? '').includes('elo') || i.textContent?.includes('elo'));
    });
    await page.click('[data-testid="feature-item"][data-feature="elo_diff"]');
    await page.waitForSelector('[data-testid="feature-detail"][data-feature="elo_diff"]');

    expect(await page.$$('[data-testid="feature-version-row"]')).toHaveLength(1);
    expect(await page.getAttribute('[data-testid="feature-version-row"]', 'data-version')).toBe('1');
    expect((await page.textContent('[data-testid="feature-sql"]'))?.length).toBeGreaterThan(0);

    const graph = '[data-testid="lineage-graph"]';
    await page.waitForSelector(`${graph} [data-node="feature:elo_diff"]`);
    for (const id of ['feature:elo_home_pre', 'feature:elo_away_pre', 'feature:elo_home_win_prob', 'set:default']) {
      expect(await page.$(`${graph} [data-node="${id}"]`), id).not.toBeNull();
    }
    expect(Number(await page.getAttribute(graph, 'data-edges'))).toBeGreaterThanOrEqual(4);

    await page.waitForSelector('[data-testid="feature-quality"]');
    expect(await page.textContent('[data-testid="quality-missing"]')).toMatch(/%$/);
    expect(Number(await page.textContent('[data-testid="quality-max"]'))).toBeGreaterThan(
      Number(await page.textContent('[data-testid="quality-min"]')),
    );
    expect(await wb.cspViolations()).toEqual([]);
    await screenshot(page, 'features-detail');

    // A feature upstream in the graph opens on click.
    await page.click(`${graph} [data-node="feature:elo_home_pre"]`);
    await page.waitForSelector('[data-testid="feature-detail"][data-feature="elo_home_pre"]');
  });
});

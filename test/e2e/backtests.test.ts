import { beforeAll, describe, expect, it } from 'vitest';
import { jobResult } from '../../src-main/api/contract';
import { hasChromium, screenshot } from './support/browser';
import { apiCall, runJobOverApi } from './support/apiCalls';
import { useWorkbench } from './support/workbench';

const JOB_TIMEOUT_MS = 90_000;

describe.skipIf(!hasChromium())('Backtests screen (serve mode, headless Chromium)', () => {
  const wb = useWorkbench();

  beforeAll(async () => {
    const demo = await runJobOverApi(wb.serve, 'demo.build', { seed: 4, seasons: '2010-2012' });
    expect(demo.state, demo.error ?? '').toBe('completed');
    const model = await runJobOverApi(wb.serve, 'ml.train', { train: '2010', valid: '2011', name: 'through-2011', numBoostRound: 60 });
    expect(model.state, model.error ?? '').toBe('completed');
  });

  it('configures and runs a backtest from the page, then shows ML and rule-based strategies on the same games with equity, drawdown and breakdown charts', async () => {
    const { page } = wb;
    await wb.openScreen('backtests');
    await page.waitForSelector('[data-testid="screen-backtests"][data-loaded="true"]');
    await page.selectOption('[data-testid="bt-model"]', 'through-2011');
    await page.fill('[data-testid="bt-seasons"]', '2012');
    await page.check('[data-testid="bt-strategy-kelly"]');
    await page.click('[data-testid="bt-start"]');
    await page.waitForSelector('[data-testid="job-row"][data-state="completed"]', { timeout: JOB_TIMEOUT_MS });
    await page.waitForSelector('[data-testid="bt-result"]', { timeout: JOB_TIMEOUT_MS });
    const rows = await page.$$eval('[data-testid="bt-strategy-row"]', (trs) =>
      trs.map((tr) => ({ label: (tr as HTMLElement).dataset.label, ml: (tr as HTMLElement).dataset.ml })),
    );
    expect(rows.filter((r) => r.ml === 'true').map((r) => r.label)).toEqual(['edge>=0.02', 'kelly 0.25 cap 0.05']);
    expect(rows.filter((r) => r.ml === 'false').map((r) => r.label)).toEqual(['home', 'favorite', 'underdog', 'elo edge>=0.02']);
    for (const chart of ['chart-bt-equity', 'chart-bt-drawdown', 'chart-bt-breakdown']) {
      await page.waitForSelector(`[data-testid="${chart}"][data-drawn="true"]`);
      expect(Number(await page.getAttribute(`[data-testid="${chart}"]`, 'data-traces'))).toBe(6);
    }
    expect(await page.textContent('[data-testid="bt-dsr"]')).toMatch(/^-?\d/);
    // Drawdown in units of stake next to the share of the peak (flat stakes can lose more than the bankroll).
    for (const dd of await page.$$eval('[data-testid="bt-max-dd"]', (tds) => tds.map((td) => td.textContent ?? '')))
      expect(dd).toMatch(/^\d+(\.\d)? u \(\d+\.\d%\)$/);
    expect(await wb.cspViolations()).toEqual([]);
    await screenshot(page, 'backtests-result');
  });

  it('refuses an in-sample backtest and says why', async () => {
    const { page } = wb;
    await wb.openScreen('backtests');
    await page.waitForSelector('[data-testid="screen-backtests"][data-loaded="true"]');
    await page.selectOption('[data-testid="bt-model"]', 'through-2011');
    await page.fill('[data-testid="bt-seasons"]', '2011');
    await page.click('[data-testid="bt-start"]');
    const banner = await page.waitForSelector('[data-testid="error-banner"]');
    expect(await banner.textContent()).toMatch(/not strictly before the backtest window/);
  });

  it("backtests a CV run's out-of-fold predictions chosen on the page, only on the games its test folds held", async () => {
    const cv = await runJobOverApi(wb.serve, 'ml.cv', {
      features: 'default',
      target: 'home_win',
      seasons: '2010-2012',
      scheme: 'season-forward',
      splits: 1,
      name: 'cv-for-2012',
      numBoostRound: 40,
      earlyStoppingRounds: 10,
    });
    expect(cv.state, cv.error ?? '').toBe('completed');
    const cvResult = jobResult(cv, 'ml.cv');
    const { page } = wb;
    await wb.openScreen('backtests');
    await page.waitForSelector('[data-testid="screen-backtests"][data-loaded="true"]');
    await page.selectOption('[data-testid="bt-source"]', 'cv');
    await page.selectOption('[data-testid="bt-cv"]', cvResult.runId);
    await page.fill('[data-testid="bt-seasons"]', '2012');
    await page.click('[data-testid="bt-start"]');
    await page.waitForSelector('[data-testid="bt-cv-run"]', { timeout: JOB_TIMEOUT_MS });
    expect(await page.textContent('[data-testid="bt-cv-run"]')).toBe('cv-for-2012');
    const rows = await page.$$eval('[data-testid="bt-strategy-row"]', (trs) =>
      trs.map((tr) => ({ label: (tr as HTMLElement).dataset.label, ml: (tr as HTMLElement).dataset.ml })),
    );
    expect(rows.filter((r) => r.ml === 'true').map((r) => r.label)).toEqual(['edge>=0.02']);
    const runId = await page.getAttribute('[data-testid="bt-result"]', 'data-run-id');
    const run = await apiCall(wb.serve, 'ml.runs.get', { id: runId ?? '' });
    expect(run.metrics.games).toBe(cvResult.folds.reduce((n, f) => n + f.testGames, 0));
    await page.waitForSelector('[data-testid="chart-bt-equity"][data-drawn="true"]');

    // A season the CV never tested is refused with the reason.
    await page.fill('[data-testid="bt-seasons"]', '2011');
    await page.click('[data-testid="bt-start"]');
    const banner = await page.waitForSelector('[data-testid="error-banner"]');
    expect(await banner.textContent()).toMatch(/season 2011 was in no test fold of CV run cv-for-2012/);
    expect(await wb.cspViolations()).toEqual([]);
  });
});

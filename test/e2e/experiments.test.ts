import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot } from './support/browser';
import { apiCall, runJobOverApi } from './support/apiCalls';
import { useWorkbench } from './support/workbench';

const JOB_TIMEOUT_MS = 90_000;

describe.skipIf(!hasChromium())('Experiments screen (serve mode, headless Chromium)', () => {
  const wb = useWorkbench();

  beforeAll(async () => {
    // Three synthetic seasons with odds: enough to train in seconds.
    const demo = await runJobOverApi(wb.serve, 'demo.build', { seed: 3, seasons: '2010-2012' });
    expect(demo.state, demo.error ?? '').toBe('completed');
  });

  it('trains a model from the page, shows its progress, and lists the finished run', async () => {
    const { page } = wb;
    await wb.openScreen('experiments');
    await page.waitForSelector('[data-testid="screen-experiments"][data-loaded="true"]');
    await page.fill('[data-testid="train-seasons"]', '2010');
    await page.fill('[data-testid="train-valid"]', '2011');
    await page.fill('[data-testid="train-name"]', 'ui-model');
    await page.fill('[data-testid="train-rounds"]', '60');
    await page.click('[data-testid="train-start"]');
    await page.waitForSelector('[data-testid="job-row"][data-state="completed"]', { timeout: JOB_TIMEOUT_MS });
    const row = await page.waitForSelector('[data-testid="run-row"][data-run-name="ui-model"][data-status="completed"]', { timeout: JOB_TIMEOUT_MS });
    const logLoss = Number(await row.$eval('[data-metric="logLoss"]', (el) => el.textContent));
    expect(logLoss).toBeGreaterThan(0.5);
    expect(logLoss).toBeLessThan(0.75);
    const models = await apiCall<{ models: { name: string }[] }>(wb.serve, 'ml.models.list', {});
    expect(models.models.map((m) => m.name)).toContain('ui-model');
    expect(await wb.cspViolations()).toEqual([]);
    await screenshot(page, 'experiments-trained');
  });

  it('compares two runs side by side: metric differences, the parameters that differ, calibration and importance charts', async () => {
    const other = await runJobOverApi(wb.serve, 'ml.train', { train: '2010', valid: '2011', name: 'other-model', numBoostRound: 60, params: { num_leaves: 7 } });
    expect(other.state, other.error ?? '').toBe('completed');
    const { page } = wb;
    await wb.openScreen('experiments');
    await page.waitForSelector('[data-testid="run-row"][data-run-name="other-model"]');
    for (const name of ['ui-model', 'other-model']) await page.check(`[data-testid="run-row"][data-run-name="${name}"] [data-testid="run-select"]`);
    await page.click('[data-testid="compare-runs"]');
    await page.waitForSelector('[data-testid="compare-metrics"] tr[data-metric="logLoss"]');
    const cells = await page.$$eval('[data-testid="compare-metrics"] tr[data-metric="logLoss"] td', (tds) => tds.map((td) => td.textContent ?? ''));
    expect(cells[0]).toBe('logLoss');
    expect(cells[2]).toMatch(/\([+-]\d/);
    const differing = await page.$$eval('[data-testid="compare-params"] tr[data-param]', (rows) => rows.map((r) => (r as HTMLElement).dataset.param));
    expect(differing).toContain('num_leaves');
    await page.waitForSelector('[data-testid="chart-calibration"][data-drawn="true"]');
    await page.waitForSelector('[data-testid="chart-importance"][data-drawn="true"]');
    expect(Number(await page.getAttribute('[data-testid="chart-calibration"]', 'data-traces'))).toBe(3);
    expect(Number(await page.getAttribute('[data-testid="chart-importance"]', 'data-traces'))).toBe(2);
    expect(await page.$$('[data-testid="chart-calibration"] .scatterlayer .trace')).toHaveLength(3);
    expect(await wb.cspViolations()).toEqual([]);
    await screenshot(page, 'experiments-compare');
  });

  it('shows a CV run\'s folds on a timeline: one row per fold with train, gap and test windows, counts on hover', async () => {
    const cv = await runJobOverApi(wb.serve, 'ml.cv', {
      features: 'default', target: 'home_win', seasons: '2010-2012', scheme: 'walk-forward', name: 'ui-cv', numBoostRound: 40, earlyStoppingRounds: 10,
    });
    expect(cv.state, cv.error ?? '').toBe('completed');
    const folds = (cv.result as { folds: { purged: number; embargoed: number }[] }).folds;
    const { page } = wb;
    await wb.openScreen('experiments');
    await page.click('[data-testid="run-row"][data-run-name="ui-cv"] [data-testid="run-open"]');
    await page.waitForSelector('[data-testid="run-detail"][data-kind="cv"]');
    await page.waitForSelector('[data-testid="chart-cv-folds"][data-drawn="true"]');
    expect(Number(await page.getAttribute('[data-testid="chart-cv-folds"]', 'data-traces'))).toBe(3);
    expect(await page.$$('[data-testid="cv-folds"] tr[data-fold]')).toHaveLength(folds.length);
    // Train and test bars for every fold (plus the gaps) are drawn on the date axis, one row per fold.
    const bars = await page.$$('[data-testid="chart-cv-folds"] .barlayer .point');
    expect(bars.length).toBeGreaterThanOrEqual(2 * folds.length);
    // One row per fold, fold 1 at the top.
    const rows = await page.$$eval('[data-testid="chart-cv-folds"] .ytick text', (ts) =>
      ts.map((t) => ({ text: t.textContent ?? '', y: t.getBoundingClientRect().top })).sort((p, q) => p.y - q.y).map((t) => t.text),
    );
    expect(rows).toEqual(folds.map((_f, k) => `fold ${k + 1}`));
    // Hover the widest bar (a training window): its label carries the fold's counts.
    const boxes = (await Promise.all(bars.map((b) => b.boundingBox()))).filter((b) => b !== null);
    const widest = boxes.reduce((p, q) => (q.width > p.width ? q : p));
    await page.mouse.move(widest.x + widest.width / 2, widest.y + widest.height / 2);
    const hover = await page.waitForSelector('[data-testid="chart-cv-folds"] .hoverlayer .hovertext');
    expect(await hover.textContent()).toMatch(/fold \d+ train .* games \(purged \d+, embargoed \d+\)/);
    expect(await wb.cspViolations()).toEqual([]);
    await screenshot(page, 'experiments-cv-folds');
  });
});

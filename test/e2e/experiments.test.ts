import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobResult } from '../../src-main/api/contract';
import { hasChromium, screenshot } from './support/browser';
import { apiCall, runJobOverApi } from './support/apiCalls';
import { useWorkbench } from './support/workbench';

const JOB_TIMEOUT_MS = 90_000;
const downloads = mkdtempSync(join(tmpdir(), 'bullpen-e2e-downloads-'));
afterAll(() => rmSync(downloads, { recursive: true, force: true }));

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
    const row = await page.waitForSelector('[data-testid="run-row"][data-run-name="ui-model"][data-status="completed"]', {
      timeout: JOB_TIMEOUT_MS,
    });
    const logLoss = Number(await row.$eval('[data-metric="logLoss"]', (el) => el.textContent));
    expect(logLoss).toBeGreaterThan(0.5);
    expect(logLoss).toBeLessThan(0.75);
    const models = await apiCall(wb.serve, 'ml.models.list', {});
    expect(models.models.map((m) => m.name)).toContain('ui-model');
    expect(await wb.cspViolations()).toEqual([]);
    await screenshot(page, 'experiments-trained');
  });

  it('compares two runs side by side: metric differences, the parameters that differ, calibration and importance charts', async () => {
    const other = await runJobOverApi(wb.serve, 'ml.train', {
      train: '2010',
      valid: '2011',
      name: 'other-model',
      numBoostRound: 60,
      params: { num_leaves: 7 },
    });
    expect(other.state, other.error ?? '').toBe('completed');
    const { page } = wb;
    await wb.openScreen('experiments');
    await page.waitForSelector('[data-testid="run-row"][data-run-name="other-model"]');
    for (const name of ['ui-model', 'other-model'])
      await page.check(`[data-testid="run-row"][data-run-name="${name}"] [data-testid="run-select"]`);
    await page.click('[data-testid="compare-runs"]');
    await page.waitForSelector('[data-testid="compare-metrics"] tr[data-metric="logLoss"]');
    const cells = await page.$$eval('[data-testid="compare-metrics"] tr[data-metric="logLoss"] td', (tds) =>
      tds.map((td) => td.textContent ?? ''),
    );
    expect(cells[0]).toBe('logLoss');
    expect(cells[2]).toMatch(/\([+-]\d/);
    const differing = await page.$$eval('[data-testid="compare-params"] tr[data-param]', (rows) =>
      rows.map((r) => (r as HTMLElement).dataset.param),
    );
    expect(differing).toContain('num_leaves');
    await page.waitForSelector('[data-testid="chart-calibration"][data-drawn="true"]');
    await page.waitForSelector('[data-testid="chart-importance"][data-drawn="true"]');
    expect(Number(await page.getAttribute('[data-testid="chart-calibration"]', 'data-traces'))).toBe(3);
    expect(Number(await page.getAttribute('[data-testid="chart-importance"]', 'data-traces'))).toBe(2);
    expect(await page.$$('[data-testid="chart-calibration"] .scatterlayer .trace')).toHaveLength(3);
    expect(await wb.cspViolations()).toEqual([]);
    await screenshot(page, 'experiments-compare');
  });

  it("shows a CV run's folds on a timeline: one row per fold with train, gap and test windows, counts on hover", async () => {
    const cv = await runJobOverApi(wb.serve, 'ml.cv', {
      features: 'default',
      target: 'home_win',
      seasons: '2010-2012',
      scheme: 'walk-forward',
      name: 'ui-cv',
      numBoostRound: 40,
      earlyStoppingRounds: 10,
    });
    expect(cv.state, cv.error ?? '').toBe('completed');
    const { folds } = jobResult(cv, 'ml.cv');
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
      ts
        .map((t) => ({ text: t.textContent ?? '', y: t.getBoundingClientRect().top }))
        .sort((p, q) => p.y - q.y)
        .map((t) => t.text),
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

  it('starts a cross-validation from the form: a job row with progress, then the CV run with its folds', async () => {
    const { page } = wb;
    await wb.openScreen('experiments');
    await page.waitForSelector('[data-testid="screen-experiments"][data-loaded="true"]');
    await page.click('[data-testid="cv-card"] summary');
    // Every option list comes from the shared vocabulary; season-forward has no day windows to set.
    expect(await page.$$eval('[data-testid="cv-scheme"] option', (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([
      'walk-forward',
      'season-forward',
      'rolling',
      'within-season',
      'cpcv',
    ]);
    expect(await page.$('[data-testid="cv-groups"]')).toBeNull();
    await page.selectOption('[data-testid="cv-scheme"]', 'season-forward');
    expect(await page.$('[data-testid="cv-train-days"]')).toBeNull();
    // Combinatorially purged CV: groups and test groups instead of splits and day windows.
    await page.selectOption('[data-testid="cv-scheme"]', 'cpcv');
    expect(await page.inputValue('[data-testid="cv-groups"]')).toBe('6');
    expect(await page.inputValue('[data-testid="cv-test-groups"]')).toBe('2');
    expect(await page.$('[data-testid="cv-splits"]')).toBeNull();
    expect(await page.$('[data-testid="cv-train-days"]')).toBeNull();
    await page.selectOption('[data-testid="cv-scheme"]', 'season-forward');
    expect(await page.$('[data-testid="cv-test-groups"]')).toBeNull();

    // Too many season-forward splits for three seasons: the job fails and its row says why.
    await page.fill('[data-testid="cv-seasons"]', '2010-2012');
    await page.fill('[data-testid="cv-splits"]', '5');
    await page.click('[data-testid="cv-start"]');
    const failed = await page.waitForSelector('[data-testid="cv-job"] [data-testid="job-row"][data-state="failed"]', {
      timeout: JOB_TIMEOUT_MS,
    });
    expect(await failed.$eval('[data-testid="job-message"]', (el) => el.textContent)).toMatch(
      /season-forward with 5 splits needs at least/,
    );

    // Rolling windows with every setting of the form.
    await page.selectOption('[data-testid="cv-scheme"]', 'rolling');
    await page.selectOption('[data-testid="cv-target"]', 'home_win');
    await page.selectOption('[data-testid="cv-features"]', 'default');
    await page.fill('[data-testid="cv-splits"]', '3');
    await page.fill('[data-testid="cv-train-days"]', '120');
    await page.fill('[data-testid="cv-test-days"]', '20');
    await page.fill('[data-testid="cv-gap"]', '2');
    await page.fill('[data-testid="cv-embargo"]', '3');
    await page.fill('[data-testid="cv-name"]', 'form-cv');
    await page.fill('[data-testid="cv-rounds"]', '40');
    await page.click('[data-testid="cv-start"]');
    await page.waitForSelector(
      '[data-testid="cv-job"] [data-testid="job-row"][data-state="running"], [data-testid="cv-job"] [data-testid="job-row"][data-state="completed"]',
    );
    await page.waitForSelector('[data-testid="cv-job"] [data-testid="job-row"][data-state="completed"]', { timeout: JOB_TIMEOUT_MS });
    const result = await page.waitForSelector('[data-testid="cv-result"]');
    expect(await result.getAttribute('data-folds')).toBe('3');
    const runId = (await result.getAttribute('data-run-id')) ?? '';

    // The run is in the table and its detail shows the three folds.
    await page.waitForSelector('[data-testid="run-row"][data-run-name="form-cv"][data-status="completed"]');
    await page.click('[data-testid="cv-show"]');
    await page.waitForSelector(`[data-testid="run-detail"][data-kind="cv"][data-run-id="${runId}"]`);
    await page.waitForSelector('[data-testid="chart-cv-folds"][data-drawn="true"]');
    const testWindows = await page.$$eval('[data-testid="cv-folds"] tr[data-fold]', (rows) =>
      rows.map((r) => r.children[2].textContent ?? ''),
    );
    expect(testWindows).toHaveLength(3);
    for (const window of testWindows) {
      const [from, to] = window.split(' … ').map((d) => Date.parse(`${d}T00:00:00Z`));
      expect((to - from) / 86_400_000 + 1).toBe(20);
    }

    // What the engine recorded is what the form said.
    const run = await apiCall(wb.serve, 'ml.runs.get', { id: runId });
    const recorded = Object.fromEntries(
      ['scheme', 'splits', 'trainDays', 'testDays', 'gap', 'embargo', 'numBoostRound', 'seasons'].map((k) => [k, String(run.params[k])]),
    );
    expect(recorded).toEqual({
      scheme: 'rolling',
      splits: '3',
      trainDays: '120',
      testDays: '20',
      gap: '2',
      embargo: '3',
      numBoostRound: '40',
      seasons: '2010-2012',
    });
    expect(run.children.filter((c) => c.kind === 'cv-fold')).toHaveLength(3);
    expect(await wb.cspViolations()).toEqual([]);
    await page.click('[data-testid="cv-card"] summary');
    await page.click('[data-testid="cv-card"] summary');
    await page.locator('[data-testid="cv-card"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'experiments-cv-form');
  });

  it('predicts a season with a model from the form and downloads the predictions as CSV and Parquet', async () => {
    const { page } = wb;
    await wb.openScreen('experiments');
    await page.waitForSelector('[data-testid="screen-experiments"][data-loaded="true"]');
    await page.click('[data-testid="predict-card"] summary');
    await page.waitForSelector('[data-testid="predict-model"] option[value="ui-model"]', { state: 'attached' });
    await page.selectOption('[data-testid="predict-model"]', 'ui-model');
    await page.fill('[data-testid="predict-seasons"]', '2012');
    await page.click('[data-testid="predict-start"]');
    await page.waitForSelector('[data-testid="predict-job"] [data-testid="job-row"][data-state="completed"]', { timeout: JOB_TIMEOUT_MS });
    const games = Number(await page.getAttribute('[data-testid="predict-result"]', 'data-games'));
    const status = await apiCall(wb.serve, 'data.status', {});
    expect(games).toBe(status.seasons.find((s) => s.season === 2012)?.games);
    // Trained on 2010 with 2011 for early stopping: 2012 is out of sample.
    expect(await page.$('[data-testid="predict-in-sample"]')).toBeNull();
    await page.locator('[data-testid="predict-card"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'experiments-predict-form');

    const save = async (format: string): Promise<string> => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="predict-download-${format}"]`)]);
      expect(download.suggestedFilename()).toBe(`predictions-ui-model-2012.${format}`);
      const path = join(downloads, download.suggestedFilename());
      await download.saveAs(path);
      return path;
    };

    const csv = readFileSync(await save('csv'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(csv[0]).toBe('game_id,date,label,p');
    const rows = csv.slice(1).map((line) => line.split(','));
    expect(rows).toHaveLength(games);
    for (const [gameId, date, label, p] of rows) {
      expect(gameId).not.toBe('');
      expect(date).toMatch(/^2012-\d\d-\d\d$/);
      expect(['0', '1']).toContain(label);
      expect(Number(p)).toBeGreaterThan(0);
      expect(Number(p)).toBeLessThan(1);
    }

    // The Parquet file holds the same rows, typed, as DuckDB reads them.
    const parquet = await save('parquet');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const back = (await conn.runAndReadAll(`SELECT game_id, date, label, p FROM read_parquet('${parquet}')`)).getRowObjectsJS();
      expect(back).toEqual(rows.map(([gameId, date, label, p]) => ({ game_id: gameId, date, label: Number(label), p: Number(p) })));
    } finally {
      conn.closeSync();
      db.closeSync();
    }
    expect(await wb.cspViolations()).toEqual([]);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot } from './support/browser';
import { apiCall, runJobOverApi } from './support/apiCalls';
import { useWorkbench } from './support/workbench';

const JOB_TIMEOUT_MS = 240_000;
/** A sweep and a training on a busy two-core machine: longer than vitest's default per test. */
const TEST_TIMEOUT_MS = 300_000;
const SWEEP = 'e2e-sweep';
/** Enough trials to outlast several of the live view's one-second reads on an idle machine. */
const TRIALS = 30;
/** Enough trials that the sweep is still running when the page cancels it, on a fast or a loaded machine. */
const RESUME_TRIALS = 20;

/** What the page showed of the sweep at one moment, recorded on every change of the page. */
interface Seen {
  status: string | null;
  finished: number;
  rows: number;
}

describe.skipIf(!hasChromium())('Sweeps screen (serve mode, headless Chromium)', () => {
  const wb = useWorkbench();

  beforeAll(async () => {
    const demo = await runJobOverApi(wb.serve, 'demo.build', { seed: 4, seasons: '2010-2012' });
    expect(demo.state, demo.error ?? '').toBe('completed');
  });

  it('refuses a bad search space beside the editor, keeps the text and blocks the start; the default space checks clean', async () => {
    const { page } = wb;
    await wb.openScreen('sweeps');
    await page.waitForSelector('[data-testid="screen-sweeps"][data-loaded="true"]');
    expect(await page.textContent('[data-testid="sweeps-list"]')).toContain('No sweeps yet');

    // The editor opens on the engine's default space, as YAML.
    const defaults = await apiCall(wb.serve, 'ml.sweeps.space', {});
    expect(defaults.isDefault).toBe(true);
    expect(await page.inputValue('[data-testid="sweep-space"]')).toBe(defaults.text);
    const line = 'learning_rate: { type: float, low: 0.01, high: 0.3, log: true }';
    expect(defaults.text).toContain(line);

    const bad = defaults.text.replace(line, 'learning_rate: { type: float, low: 0.3, high: 0.01, log: true }');
    await page.fill('[data-testid="sweep-space"]', bad);
    await page.click('[data-testid="sweep-space-check"]');
    const error = await page.waitForSelector('[data-testid="sweep-space-error"]');
    expect(await error.getAttribute('data-code')).toBe('SPACE_INVALID');
    expect(await error.textContent()).toMatch(/learning_rate.*low 0\.3 is above high 0\.01/);
    expect(await page.getAttribute('[data-testid="sweep-space"]', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('[data-testid="sweep-space"]')).toBe(bad);
    // The start waits for a space the engine accepts, and says why.
    expect(await page.isDisabled('[data-testid="sweep-start"]')).toBe(true);
    expect(await page.textContent('[data-testid="sweep-start-why"]')).toMatch(/search space was refused/);
    await page.locator('[data-testid="sweep-space-error"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'sweeps-space-refused');

    // Back to the default: it checks clean, with its nine parameters.
    await page.click('[data-testid="sweep-space-reset"]');
    expect(await page.inputValue('[data-testid="sweep-space"]')).toBe(defaults.text);
    expect(await page.$('[data-testid="sweep-space-error"]')).toBeNull();
    await page.click('[data-testid="sweep-space-check"]');
    const ok = await page.waitForSelector('[data-testid="sweep-space-ok"]');
    expect(await ok.textContent()).toContain(`${defaults.space.params.length} parameters`);
    expect(defaults.space.params.length).toBe(9);
    expect(await page.isEnabled('[data-testid="sweep-start"]')).toBe(true);
    expect(await apiCall(wb.serve, 'ml.sweeps.list', {})).toEqual([]);
    expect(await wb.cspViolations()).toEqual([]);
  });

  it(
    'starts a small sweep from the page and shows its trials arriving while it runs, then the best trial',
    async () => {
      const { page } = wb;
      await wb.openScreen('sweeps');
      await page.waitForSelector('[data-testid="screen-sweeps"][data-loaded="true"]');
      await page.selectOption('[data-testid="sweep-sampler"]', 'random');
      await page.fill('[data-testid="sweep-trial-count"]', String(TRIALS));
      await page.fill('[data-testid="sweep-workers"]', '1');
      await page.fill('[data-testid="sweep-splits"]', '3');
      await page.fill('[data-testid="sweep-train-days"]', '60');
      await page.fill('[data-testid="sweep-rounds"]', '100');
      await page.fill('[data-testid="sweep-seed"]', '7');
      await page.fill('[data-testid="sweep-name"]', SWEEP);

      // Every change of the page is recorded from before the start, so what the page showed while the sweep ran is known exactly.
      await page.evaluate(() => {
        const seen: { status: string | null; finished: number; rows: number }[] = [];
        (window as unknown as { __sweepSeen: typeof seen }).__sweepSeen = seen;
        const record = () => {
          const detail = document.querySelector<HTMLElement>('[data-testid="sweep-detail"]');
          const table = document.querySelector<HTMLElement>('[data-testid="sweep-trials"]');
          const now = {
            status: detail?.dataset.status ?? null,
            finished: Number(table?.dataset.finished ?? 0),
            rows: document.querySelectorAll('[data-testid="sweep-trial"]').length,
          };
          const last = seen[seen.length - 1];
          if (!last || last.status !== now.status || last.finished !== now.finished || last.rows !== now.rows) seen.push(now);
        };
        new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
      });

      await page.click('[data-testid="sweep-start"]');
      await page.waitForSelector('[data-testid="sweep-job"] [data-testid="job-row"]');
      // Live: the sweep's job with its progress message and Cancel, while the detail reads the sweep every second.
      await page.waitForSelector('[data-testid="sweep-detail"][data-status="running"] [data-testid="sweep-live"]', {
        timeout: JOB_TIMEOUT_MS,
      });
      expect(await page.$('[data-testid="sweep-live-job"] [data-testid="job-cancel"]')).not.toBeNull();
      expect(await page.textContent('[data-testid="sweep-eta"]')).toMatch(/Time left|trial \d+\/\d+/);
      await page.waitForSelector('[data-testid="sweep-detail"][data-status="completed"]', { timeout: JOB_TIMEOUT_MS });
      await page.waitForSelector(`[data-testid="sweep-trials"][data-finished="${TRIALS}"]`);

      // While it ran, the page showed more and more finished trials, before the sweep completed.
      const seen = await page.evaluate(() => (window as unknown as { __sweepSeen: Seen[] }).__sweepSeen);
      const running = seen.filter((s) => s.status === 'running');
      const finishedWhileRunning = running.map((s) => s.finished);
      expect(finishedWhileRunning.length).toBeGreaterThan(0);
      // Never backwards, and at least three different counts of finished trials seen while the sweep was still running:
      // a sweep of 30 trials lasts several of the page's one-second reads (a timer restarted by every job event once
      // kept the page from reading at all until the sweep ended, and showed 1–2 counts).
      expect(finishedWhileRunning).toEqual([...finishedWhileRunning].sort((a, b) => a - b));
      const distinct = [...new Set(finishedWhileRunning)];
      expect(distinct.length, JSON.stringify(seen)).toBeGreaterThanOrEqual(3);
      expect(Math.min(...distinct.filter((n) => n > 0))).toBeLessThan(TRIALS);
      expect(
        running.some((s) => s.rows > 0 && s.rows < TRIALS),
        JSON.stringify(seen),
      ).toBe(true);
      expect(seen[seen.length - 1]).toEqual({ status: 'completed', finished: TRIALS, rows: TRIALS });

      // What the page shows is what the engine stored.
      const summary = await apiCall(wb.serve, 'ml.sweeps.show', { id: SWEEP });
      const { trials } = await apiCall(wb.serve, 'ml.sweeps.trials', { id: SWEEP });
      expect(summary.status).toBe('completed');
      expect(summary.best).not.toBeNull();
      const detail = page.locator('[data-testid="sweep-detail"]');
      expect(await detail.getAttribute('data-sweep-id')).toBe(summary.sweepId);
      expect(await detail.getAttribute('data-completed')).toBe(String(summary.completed));
      expect(await page.getAttribute('[data-testid="sweep-best"]', 'data-trial')).toBe(String(summary.best!.trialNumber));
      expect(await page.textContent('[data-testid="sweep-best"]')).toContain(`#${summary.best!.trialNumber}`);
      const rows = await page.$$eval('[data-testid="sweep-trial"]', (trs) =>
        trs.map((r) => ({ number: Number((r as HTMLElement).dataset.number), state: (r as HTMLElement).dataset.state })),
      );
      expect(rows).toEqual(trials.map((t) => ({ number: t.number, state: t.state })));
      expect(rows).toHaveLength(TRIALS);
      const row = page.locator(`[data-testid="sweep-row"][data-name="${SWEEP}"]`);
      expect(await row.getAttribute('data-status')).toBe('completed');

      // The charts: history drawn with the best-so-far line, one parallel-coordinates line per complete trial.
      const history = await page.waitForSelector('[data-testid="sweep-chart-history"][data-drawn="true"]');
      expect(Number(await history.getAttribute('data-traces'))).toBeGreaterThanOrEqual(2);
      expect(await page.getAttribute('[data-testid="sweep-chart-parallel"]', 'data-lines')).toBe(String(summary.completed));
      await page.waitForSelector('[data-testid="sweep-chart-intermediate"]');
      // A finished sweep is not resumed; the page says why.
      expect(await page.isDisabled('[data-testid="sweep-resume"]')).toBe(true);
      expect(await page.textContent('[data-testid="sweep-resume-why"]')).toMatch(/completed/);
      await screenshot(page, 'sweeps-completed');

      expect(await wb.cspViolations()).toEqual([]);
      expect(wb.consoleLines().filter((l) => l.startsWith('[error]') || l.startsWith('[pageerror]'))).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'trains the best trial as a model (a training job, validated automatically) and exports the Optuna journal',
    async () => {
      const { page } = wb;
      const summary = await apiCall(wb.serve, 'ml.sweeps.show', { id: SWEEP });
      await wb.openScreen('sweeps');
      await page.waitForSelector('[data-testid="screen-sweeps"][data-loaded="true"]');
      await page.click(`[data-testid="sweep-row"][data-name="${SWEEP}"] [data-testid="sweep-open"]`);
      await page.waitForSelector(`[data-testid="sweep-detail"][data-sweep-id="${summary.sweepId}"]`);

      await page.fill('[data-testid="sweep-train-name"]', 'e2e-sweep-best');
      await page.click('[data-testid="sweep-train"]');
      const jobRow = await page.waitForSelector('[data-testid="sweep-train-job"] [data-testid="job-row"]');
      expect(await jobRow.$eval('.job-kind', (e) => e.textContent)).toBe('ml.train');
      await page.waitForSelector('[data-testid="sweep-train-job"] [data-testid="job-row"][data-state="completed"]', {
        timeout: JOB_TIMEOUT_MS,
      });
      const trained = await page.waitForSelector('[data-testid="sweep-trained"]');
      expect(await trained.getAttribute('data-model')).toBe('e2e-sweep-best');
      expect(await trained.textContent()).toMatch(/validation is running/);
      const { models } = await apiCall(wb.serve, 'ml.models.list', {});
      expect(models.map((m) => m.name)).toContain('e2e-sweep-best');

      // Served: a plain file name lands in the workspace's exports folder.
      await page.fill('[data-testid="sweep-export-path"]', 'e2e-journal.log');
      await page.click('[data-testid="sweep-export"]');
      const exported = await page.waitForSelector('[data-testid="sweep-exported"]');
      const out = join(dirname(wb.serve.workspacePath), 'exports', 'e2e-journal.log');
      expect(await exported.getAttribute('data-out')).toBe(out);
      expect(existsSync(out)).toBe(true);
      const ops = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { op_code: number });
      expect(ops.length).toBeGreaterThan(TRIALS);
      // An export outside the folders this server writes to is refused beside the button.
      await page.fill('[data-testid="sweep-export-path"]', '/tmp/elsewhere.log');
      await page.click('[data-testid="sweep-export"]');
      const refused = await page.waitForSelector('[data-testid="sweep-export-slot"] [data-testid="error-banner"]');
      expect(await refused.getAttribute('data-code')).toBe('PATH_NOT_ALLOWED');
      await screenshot(page, 'sweeps-trained');
      expect(await wb.cspViolations()).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
  it(
    'cancels a running sweep from the page, then resumes it: finished trials are kept, and it runs to the end',
    async () => {
      const { page } = wb;
      const started = await apiCall(wb.serve, 'ml.optimize', {
        target: 'home_win',
        features: 'default',
        trials: RESUME_TRIALS,
        sampler: 'tpe',
        workers: 1,
        splits: 3,
        trainDays: 60,
        numBoostRound: 100,
        seed: 11,
        name: 'e2e-resume',
      });
      expect(started.state).not.toBe('failed');
      // A trial finished while the sweep still runs (read over the API, so a slow page cannot miss the moment).
      const deadline = Date.now() + JOB_TIMEOUT_MS;
      let seen: { status: string; completed: number } | null = null;
      while (Date.now() < deadline) {
        seen = await apiCall(wb.serve, 'ml.sweeps.show', { id: 'e2e-resume' }).catch(() => null);
        if (seen && (seen.status !== 'running' || seen.completed >= 1)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(seen, 'the sweep was still running with a finished trial').toMatchObject({ status: 'running' });
      expect(seen?.completed).toBeGreaterThanOrEqual(1);
      await wb.openScreen('sweeps');
      await page.waitForSelector('[data-testid="screen-sweeps"][data-loaded="true"]');
      await page.click('[data-testid="sweep-row"][data-name="e2e-resume"] [data-testid="sweep-open"]');
      // The page shows it running with that trial: cancel it with the job's own Cancel.
      await page.waitForFunction(
        () => {
          const d = document.querySelector<HTMLElement>('[data-testid="sweep-detail"]');
          return d?.dataset.status === 'running' && Number(d.dataset.completed) >= 1;
        },
        undefined,
        { timeout: JOB_TIMEOUT_MS },
      );
      await page.click('[data-testid="sweep-live-job"] [data-testid="job-cancel"]');
      await page.waitForSelector('[data-testid="sweep-detail"]:is([data-status="cancelled"], [data-status="interrupted"])', {
        timeout: JOB_TIMEOUT_MS,
      });
      const before = await apiCall(wb.serve, 'ml.sweeps.trials', { id: 'e2e-resume' });
      const kept = before.trials.filter((t) => t.state === 'complete');
      expect(kept.length).toBeGreaterThanOrEqual(1);
      expect(kept.length).toBeLessThan(RESUME_TRIALS);
      expect(await page.isEnabled('[data-testid="sweep-resume"]')).toBe(true);
      expect(await page.textContent('[data-testid="sweep-resume-why"]')).toMatch(/finished trials are kept/);
      await screenshot(page, 'sweeps-cancelled');

      await page.click('[data-testid="sweep-resume"]');
      await page.waitForSelector('[data-testid="sweep-live"]');
      await page.waitForSelector('[data-testid="sweep-detail"][data-status="completed"]', { timeout: JOB_TIMEOUT_MS });
      const after = await apiCall(wb.serve, 'ml.sweeps.trials', { id: 'e2e-resume' });
      expect(after.trials.filter((t) => t.state !== 'running')).toHaveLength(RESUME_TRIALS);
      // Every trial that had completed is there unchanged: same parameters, same values.
      for (const t of kept) {
        const again = after.trials.find((a) => a.number === t.number);
        expect(again && { params: again.params, values: again.values, state: again.state }).toEqual({
          params: t.params,
          values: t.values,
          state: 'complete',
        });
      }
      await page.waitForSelector(`[data-testid="sweep-trials"][data-finished="${RESUME_TRIALS}"]`);
      expect(await page.isDisabled('[data-testid="sweep-resume"]')).toBe(true);
      expect(await wb.cspViolations()).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});

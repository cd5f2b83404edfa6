import { beforeAll, describe, expect, it } from 'vitest';
import { jobResult } from '../../src-main/api/contract';
import { figure } from '../../src-renderer/src/lib/monitoring/monitoringCharts';
import { hasChromium, screenshot } from './support/browser';
import { apiCall, runJobOverApi } from './support/apiCalls';
import { useWorkbench } from './support/workbench';

const JOB_TIMEOUT_MS = 120_000;
const TEST_TIMEOUT_MS = 180_000;
const USER = 'rowan';
const MODEL = 'retrain-model';
const DEPLOYMENT = 'retrained';
/**
 * Retraining on, compared over the last 30 days of settled games (about 450 demo games, past minGames).
 * The schedule and data-volume triggers are off, so the engine's hourly check cannot start a retraining of
 * its own while the test runs (2012 alone is more than 1,000 games after the model's data); the performance
 * and drift triggers need logged predictions, which this test never makes.
 */
const POLICY = [
  'reference: { source: seasons, seasons: "2011" }',
  'retraining:',
  '  enabled: true',
  '  cooldownDays: 3',
  '  triggers: { schedule: { enabled: false }, dataVolume: { enabled: false } }',
  '  comparison: { days: 30, minGames: 100, resamples: 500 }',
].join('\n');

describe.skipIf(!hasChromium())('Retraining panel of the Monitoring screen (serve mode, headless Chromium)', () => {
  const wb = useWorkbench({ serveEnv: { BULLPEN_USER: USER } });

  beforeAll(async () => {
    const demo = await runJobOverApi(wb.serve, 'demo.build', { seed: 4, seasons: '2010-2012' });
    expect(demo.state, demo.error ?? '').toBe('completed');
    const trained = await runJobOverApi(wb.serve, 'ml.train', {
      train: '2010',
      valid: '2011',
      name: MODEL,
      seed: 42,
      numBoostRound: 40,
      validate: false,
    });
    expect(trained.state, trained.error ?? '').toBe('completed');
    await apiCall(wb.serve, 'registry.register', { model: MODEL });
    const deployed = await apiCall(wb.serve, 'deploy.start', { model: `${MODEL}:1`, name: DEPLOYMENT, policyText: POLICY });
    expect(deployed.policy.retraining.enabled).toBe(true);
  }, TEST_TIMEOUT_MS);

  it(
    'shows the policy, retrains from the page as a job (the button saying why it waits meanwhile), shows the history row as the engine records it, and refuses a stopped deployment',
    async () => {
      const { page } = wb;
      await wb.openScreen('monitoring');
      await page.waitForSelector('[data-testid="screen-monitoring"][data-loaded="true"]');
      await page.waitForSelector(`[data-testid="mon-detail"][data-kind="live"][data-name="${DEPLOYMENT}"][data-status="active"]`);

      // The policy summary: what the deployment's policy says, triggers with their thresholds.
      const { deployment } = await apiCall(wb.serve, 'deploy.show', { name: DEPLOYMENT });
      const policy = deployment.policy.retraining;
      const summary = page.locator('[data-testid="mon-retrain-policy"]');
      expect(await summary.getAttribute('data-enabled')).toBe('true');
      expect(await summary.getAttribute('data-auto-promote')).toBe(policy.autoPromote);
      expect(await summary.getAttribute('data-cooldown')).toBe('3');
      const triggers = await page.$$eval('[data-testid="mon-retrain-trigger"]', (els) =>
        els.map((e) => (e as HTMLElement).dataset.trigger),
      );
      expect(triggers).toEqual(['performance', 'drift']);
      expect(await summary.textContent()).toContain(`score above ${figure(policy.triggers.drift.above)} on 3 consecutive days`);
      expect(await summary.textContent()).toContain('over the last 30 days of settled games (at least 100)');
      expect(await page.textContent('[data-testid="mon-retrain-empty"]')).toContain('No retraining yet');

      // Every state the button's reason goes through, recorded as the page renders it (a short job could end between two polls).
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { __retrainWhy: string[] }).__retrainWhy = seen;
        const record = (): void => {
          const button = document.querySelector<HTMLButtonElement>('[data-testid="mon-retrain"]');
          const why = document.querySelector('[data-testid="mon-retrain-why"]')?.textContent ?? '';
          if (button?.disabled) seen.push(why);
        };
        new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      });
      expect(await page.isDisabled('[data-testid="mon-retrain"]')).toBe(false);
      await page.click('[data-testid="mon-retrain"]');
      const jobRow = await page.waitForSelector('[data-testid="mon-retrain-job"] [data-testid="job-row"]');
      const jobId = (await jobRow.getAttribute('data-job-id'))!;
      await page.waitForSelector(
        `[data-testid="mon-retrain-job"] [data-testid="job-row"][data-job-id="${jobId}"][data-state="completed"]`,
        {
          timeout: JOB_TIMEOUT_MS,
        },
      );
      const whys = await page.evaluate(() => (window as unknown as { __retrainWhy: string[] }).__retrainWhy);
      expect(whys.some((w) => w.includes(`A retraining of ${DEPLOYMENT} is`) && w.includes(jobId.slice(0, 8)))).toBe(true);
      expect(await page.isDisabled('[data-testid="mon-retrain"]')).toBe(false);

      // The job's result is the history's row; the page shows that row once the job ended.
      const job = await apiCall(wb.serve, 'jobs.get', { id: jobId });
      const record = jobResult(job, 'deploy.retrain');
      const { retrains } = await apiCall(wb.serve, 'deploy.history', { name: DEPLOYMENT });
      expect(retrains).toHaveLength(1);
      expect(retrains[0]).toEqual(record);
      expect(record).toMatchObject({ trigger: 'manual', state: 'completed', jobId, reason: `started by hand by ${USER}` });
      expect(['promoted', 'registered', 'kept']).toContain(record.decision);
      const c = record.comparison!;
      expect(c).not.toBeNull();
      expect(c.metric).toBe('logLoss');
      // Out of sample for both: the comparison games come after the challenger's training games and the champion's data.
      expect(c.n).toBe(record.comparisonWindow!.games);
      expect(c.n).toBeGreaterThanOrEqual(100);
      expect(record.trainWindow!.to < record.comparisonWindow!.from).toBe(true);
      expect(record.champion.lastTrainingDate < record.comparisonWindow!.from).toBe(true);

      const row = page.locator(`[data-testid="mon-retrain-row"][data-id="${record.id}"]`);
      await row.waitFor();
      expect(await page.locator('[data-testid="mon-retrain-row"]').count()).toBe(1);
      expect(await row.getAttribute('data-trigger')).toBe('manual');
      expect(await row.getAttribute('data-decision')).toBe(record.decision);
      expect(await row.getAttribute('data-state')).toBe('completed');
      expect(await row.getAttribute('data-n')).toBe(String(c.n));
      expect(await row.getAttribute('data-champion')).toBe(String(c.champion));
      expect(await row.getAttribute('data-challenger')).toBe(String(c.challenger));
      expect(await row.getAttribute('data-improvement')).toBe(String(c.relativeImprovement));
      expect(JSON.parse((await row.getAttribute('data-ci'))!)).toEqual(c.ci);
      expect(await row.getAttribute('data-version')).toBe(String(record.newVersion?.version ?? ''));
      expect(await row.locator('[data-testid="mon-retrain-reason"]').textContent()).toBe(record.reason);
      const train = record.trainWindow!;
      const compared = record.comparisonWindow!;
      expect(await row.locator('[data-testid="mon-retrain-train"]').textContent()).toBe(
        `${train.from} … ${train.to} (${train.games} games)`,
      );
      expect(await row.locator('[data-testid="mon-retrain-comparison-window"]').textContent()).toBe(
        `${compared.from} … ${compared.to} (${compared.games} games)`,
      );
      const figures = await row.locator('[data-testid="mon-retrain-comparison"]').textContent();
      expect(figures).toContain(`log loss on ${c.n} games: ${figure(c.champion)} vs ${figure(c.challenger)}`);
      expect(await row.locator('[data-testid="mon-retrain-decision"]').textContent()).toContain(record.decisionReason!);
      await row.scrollIntoViewIfNeeded();
      await screenshot(page, 'monitoring-retraining');

      // Stopped from the page: the button says why it no longer retrains, and the engine refuses too.
      await page.click('[data-testid="mon-stop"]');
      await page.waitForSelector(`[data-testid="mon-detail"][data-name="${DEPLOYMENT}"][data-status="stopped"]`);
      expect(await page.isDisabled('[data-testid="mon-retrain"]')).toBe(true);
      expect(await page.textContent('[data-testid="mon-retrain-why"]')).toContain('a stopped deployment is not retrained');
      await expect(apiCall(wb.serve, 'deploy.retrain', { name: DEPLOYMENT })).rejects.toThrow('DEPLOYMENT_STOPPED');
      // The history stays with the stopped deployment.
      expect(await page.locator('[data-testid="mon-retrain-row"]').count()).toBe(1);

      expect(await wb.cspViolations()).toEqual([]);
      expect(wb.consoleLines().filter((l) => l.startsWith('[error]') || l.startsWith('[pageerror]'))).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "shows a replay's retrainings under its id, and says why a replay is not retrained from the page",
    async () => {
      const { page } = wb;
      // Every replayed day's check may start a retraining: the data-volume trigger fires after a few days of 2012 on a low bar
      // (the model's data ends with 2011's season).
      const replayPolicy = [
        'retraining:',
        '  enabled: true',
        '  triggers: { dataVolume: { newGames: 40 }, schedule: { enabled: false }, performance: { enabled: false }, drift: { enabled: false } }',
        '  comparison: { days: 30, minGames: 50, resamples: 500 }',
      ].join('\n');
      const replayed = await runJobOverApi(wb.serve, 'deploy.replay', {
        model: MODEL,
        season: 2012,
        from: '2012-04-01',
        to: '2012-04-08',
        policyText: replayPolicy,
      });
      expect(replayed.state, replayed.error ?? '').toBe('completed');
      const result = jobResult(replayed, 'deploy.replay');
      const { retrains } = await apiCall(wb.serve, 'deploy.history', { name: 'replay-2012', replay: result.replayId });
      expect(retrains.length).toBeGreaterThan(0);
      expect(retrains.every((r) => r.replayId === result.replayId)).toBe(true);

      await wb.openScreen('monitoring');
      await page.waitForSelector('[data-testid="screen-monitoring"][data-loaded="true"]');
      await page.click(`[data-testid="mon-replay-row"][data-replay-id="${result.replayId}"] [data-testid="mon-replay-open"]`);
      await page.waitForSelector(`[data-testid="mon-detail"][data-kind="replay"][data-replay-id="${result.replayId}"]`);
      await page.waitForSelector('[data-testid="screen-monitoring"][data-loaded="true"]');
      // The replay's policy, read from its job: retraining on, only the data-volume trigger.
      expect(await page.getAttribute('[data-testid="mon-retrain-policy"]', 'data-enabled')).toBe('true');
      const triggers = await page.$$eval('[data-testid="mon-retrain-trigger"]', (els) =>
        els.map((e) => (e as HTMLElement).dataset.trigger),
      );
      expect(triggers).toEqual(['dataVolume']);
      expect(await page.locator('[data-testid="mon-retrain"]').count()).toBe(0);
      expect(await page.textContent('[data-testid="mon-retrain-why"]')).toContain("A replay's retrainings ran on its replayed days");
      const shown = await page.$$eval('[data-testid="mon-retrain-row"]', (rows) =>
        rows.map((r) => ({
          id: (r as HTMLElement).dataset.id,
          trigger: (r as HTMLElement).dataset.trigger,
          decision: (r as HTMLElement).dataset.decision,
        })),
      );
      expect(shown).toEqual(retrains.map((r) => ({ id: r.id, trigger: r.trigger, decision: r.decision ?? '' })));
      await page.locator('[data-testid="mon-retraining"]').scrollIntoViewIfNeeded();
      await screenshot(page, 'monitoring-retraining-replay');
      expect(wb.consoleLines().filter((l) => l.startsWith('[error]') || l.startsWith('[pageerror]'))).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});

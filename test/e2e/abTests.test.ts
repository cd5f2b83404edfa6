import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobResult } from '../../src-main/api/contract';
import type { ExperimentStatusResult } from '../../src-main/shared/results/experiments';
import { pct } from '../../src-renderer/src/components/ml/runCharts';
import { interval, metricValue, pValue } from '../../src-renderer/src/lib/ab/abCharts';
import { figure } from '../../src-renderer/src/lib/monitoring/monitoringCharts';
import { hasChromium, screenshot } from './support/browser';
import { apiCall, runJobOverApi } from './support/apiCalls';
import { useWorkbench } from './support/workbench';

/** Two trainings, a prediction and a short replay on a busy two-core machine: longer than vitest's default per test. */
const TEST_TIMEOUT_MS = 240_000;
/** The page reads a running experiment again every few seconds; this is how long a test waits for it to catch up. */
const LIVE_WAIT_MS = 30_000;
const USER = 'sasha';
const CONTROL = 'ab-control';
const CHALLENGER = 'ab-challenger';
const DEPLOYMENT = 'live';
const EXPERIMENT = 'e2e-ab';
const SEASON = 2012;
/** Days of the season the live deployment scores while the experiment runs: a few hundred settled games. */
const DAYS = 14;

/** The text of one element (trimmed, spaces collapsed as the page lays them out). */
async function text(page: Page, selector: string): Promise<string> {
  const t = await page.textContent(selector);
  expect(t, selector).not.toBeNull();
  return t!.replace(/\s+/g, ' ').trim();
}

/** Asserts the page shows the status the engine answers over HTTP: every variant number, the analyses, Bayes, SRM, the chart's days. */
async function expectPageShows(page: Page, s: ExperimentStatusResult): Promise<void> {
  const rows = await page.$$eval('[data-testid="ab-variant"]', (els) =>
    els.map((e) => ({ variant: (e as HTMLElement).dataset.variant, name: (e as HTMLElement).dataset.name })),
  );
  // Control first, each with the model the engine names.
  expect(rows).toEqual(s.variants.map((v) => ({ variant: v.variant, name: v.name })));
  for (const v of s.variants) {
    const row = `[data-testid="ab-variant"][data-variant="${v.variant}"]`;
    const m = v.metrics;
    expect(await text(page, `${row} [data-testid="ab-variant-assigned"]`)).toBe(String(v.assigned));
    expect(await text(page, `${row} [data-testid="ab-variant-games"]`)).toBe(String(v.games));
    expect(await text(page, `${row} [data-testid="ab-variant-logloss"]`)).toBe(`${figure(m.logLoss)} ${interval('logLoss', m.logLossCi)}`);
    expect(await text(page, `${row} [data-testid="ab-variant-accuracy"]`)).toBe(
      `${pct(m.accuracy, 2)} ${interval('accuracy', m.accuracyCi)}`,
    );
    expect(await text(page, `${row} [data-testid="ab-variant-brier"]`)).toBe(`${figure(m.brier)} ${interval('calibration', m.brierCi)}`);
    expect(await text(page, `${row} [data-testid="ab-variant-roi"]`)).toBe(`${pct(m.roi, 2)} ${interval('roi', m.roiCi)}`);
    expect(await text(page, `${row} [data-testid="ab-variant-bets"]`)).toBe(String(m.bets));
    expect(await text(page, `${row} [data-testid="ab-variant-profit"]`)).toBe(figure(m.profit));
  }
  expect(await text(page, '[data-testid="ab-paired-games"]')).toBe(String(s.pairedGames));

  // Both analyses, the primary metric and each guardrail, with effect, intervals, p-values and power.
  for (const a of [s.paired, s.routed]) {
    const section = `[data-testid="ab-analysis"][data-kind="${a!.kind}"]`;
    expect(await page.getAttribute(section, 'data-deciding')).toBe(String(a!.kind === s.experiment.config.analysis));
    for (const [role, t] of [['primary', a!.primary] as const, ...a!.guardrails.map((g) => ['guardrail', g] as const)]) {
      const row = `${section} [data-testid="ab-test"][data-role="${role}"][data-metric="${t.metric}"]`;
      expect(await page.getAttribute(row, 'data-n')).toBe(String(t.n));
      expect(await text(page, `${row} [data-testid="ab-test-effect"]`)).toBe(
        `${metricValue(t.metric, t.effect)} (${pct(t.relativeEffect, 2)})`,
      );
      expect(await text(page, `${row} [data-testid="ab-test-fixed"]`)).toBe(
        `${interval(t.metric, t.fixed.ci)} · p ${pValue(t.fixed.pValue)}`,
      );
      expect(await text(page, `${row} [data-testid="ab-test-sequential"]`)).toBe(
        `${interval(t.metric, t.sequential.ci)} · p ${pValue(t.sequential.pValue)}`,
      );
      expect(await text(page, `${row} [data-testid="ab-test-power"]`)).toBe(`${pct(t.power.fixed, 0)} / ${pct(t.power.sequential, 0)}`);
    }
  }

  const deciding = s.experiment.config.analysis === 'paired' ? s.paired! : s.routed!;
  const bayes = deciding.primary.bayesian;
  expect(await text(page, '[data-testid="ab-bayes-probability"]')).toBe(pct(bayes.probabilityToBeat, 1));
  expect(await text(page, '[data-testid="ab-bayes-loss"]')).toContain(
    `Expected loss choosing the challenger ${pct(bayes.expectedLossChallenger, 3)}, choosing control ${pct(bayes.expectedLossControl, 3)}`,
  );

  expect(await text(page, '[data-testid="ab-srm-p"]')).toBe(pValue(s.srm!.pValue));
  expect(await page.getAttribute('[data-testid="ab-srm"]', 'data-alert')).toBe(String(s.srm!.pValue! < 0.001));

  expect(JSON.parse((await page.getAttribute('[data-testid="ab-boundary"]', 'data-dates'))!)).toEqual(s.timeline.map((p) => p.date));
  expect(await page.getAttribute('[data-testid="ab-decision"]', 'data-outcome')).toBe(s.decision.outcome);
  expect(await text(page, '[data-testid="ab-decision-reason"]')).toBe(s.decision.reason.replace(/\s+/g, ' ').trim());

  const events = await page.$$eval('[data-testid="ab-event"]', (els) => els.map((e) => (e as HTMLElement).dataset.kind));
  expect(events).toEqual(s.events.map((e) => e.kind));

  // Each action: enabled as the engine allows it; disabled ones say the engine's reason, in the title and on the page.
  for (const action of ['stop', 'promote', 'rollback'] as const) {
    const gate = s.actions[action];
    expect(await page.isDisabled(`[data-testid="ab-${action}"]`), action).toBe(!gate.allowed);
    expect(await page.getAttribute(`[data-testid="ab-${action}"]`, 'title')).toBe(gate.reason);
    if (!gate.allowed) expect(await text(page, `[data-testid="ab-${action}-why"]`)).toContain(gate.reason.replace(/\s+/g, ' ').trim());
    else expect(await page.locator(`[data-testid="ab-${action}-why"]`).count()).toBe(0);
  }
}

describe.skipIf(!hasChromium())('A/B tests screen (serve mode, headless Chromium)', () => {
  const wb = useWorkbench({ serveEnv: { BULLPEN_USER: USER } });
  /** The games of the first scored days of the season. */
  let gameIds: string[] = [];
  let firstDay = '';
  let lastDay = '';

  beforeAll(async () => {
    const demo = await runJobOverApi(wb.serve, 'demo.build', { seed: 4, seasons: '2010-2012' });
    expect(demo.state, demo.error ?? '').toBe('completed');
    const control = await runJobOverApi(wb.serve, 'ml.train', {
      train: '2010',
      valid: '2011',
      name: CONTROL,
      seed: 42,
      numBoostRound: 40,
      validate: false,
    });
    expect(control.state, control.error ?? '').toBe('completed');
    const challenger = await runJobOverApi(wb.serve, 'ml.train', {
      train: '2010-2011',
      name: CHALLENGER,
      seed: 42,
      numBoostRound: 30,
      validate: false,
    });
    expect(challenger.state, challenger.error ?? '').toBe('completed');
    await apiCall(wb.serve, 'registry.register', { model: CONTROL });
    await apiCall(wb.serve, 'deploy.start', { model: `${CONTROL}:1`, name: DEPLOYMENT });
    const scored = await runJobOverApi(wb.serve, 'ml.predict', { model: CONTROL, seasons: String(SEASON) });
    expect(scored.state, scored.error ?? '').toBe('completed');
    const predictions = jobResult(scored, 'ml.predict').predictions;
    const dates = [...new Set(predictions.map((p) => p.date))].sort().slice(0, DAYS);
    expect(dates).toHaveLength(DAYS);
    [firstDay, lastDay] = [dates[0], dates[DAYS - 1]];
    gameIds = predictions.filter((p) => p.date <= lastDay).map((p) => p.gameId);
  }, TEST_TIMEOUT_MS);

  it(
    'starts an experiment from the page (a bad split refused with its reason), follows the scoring live, shows the numbers ab.status answers, says why promote waits, and stops',
    async () => {
      const { page } = wb;
      await wb.openScreen('ab');
      await page.waitForSelector('[data-testid="screen-ab"][data-loaded="true"]');
      expect(await text(page, '[data-testid="ab-list-empty"]')).toContain('bullpen ab start --deployment D --challenger MODEL');

      // A split that does not sum to 100: the engine's refusal is shown beside the form, and nothing starts.
      await page.selectOption('[data-testid="ab-start-deployment"]', DEPLOYMENT);
      await page.selectOption('[data-testid="ab-start-challenger"]', CHALLENGER);
      await page.fill('[data-testid="ab-start-name"]', EXPERIMENT);
      await page.fill('[data-testid="ab-start-split"]', '90/20');
      await page.click('[data-testid="ab-start"]');
      const refused = page.locator('[data-testid="ab-start-card"] [data-testid="error-banner"]');
      await refused.waitFor();
      expect(await refused.getAttribute('data-code')).toBe('BAD_SPLIT');
      expect(await refused.textContent()).toContain('--split 90/20 is not CONTROL/CHALLENGER percent');
      expect(await apiCall(wb.serve, 'ab.list', { all: true })).toEqual([]);

      await page.fill('[data-testid="ab-start-split"]', '70/30');
      await page.click('[data-testid="ab-start"]');
      await page.waitForSelector(`[data-testid="ab-detail"][data-name="${EXPERIMENT}"][data-status="running"]`);
      expect(await page.locator('[data-testid="ab-start-card"] [data-testid="error-banner"]').count()).toBe(0);
      const [started] = await apiCall(wb.serve, 'ab.list', { all: true });
      expect(started).toMatchObject({
        name: EXPERIMENT,
        deployment: DEPLOYMENT,
        status: 'running',
        challengerShare: 0.3,
        control: { modelName: CONTROL, version: 1 },
        challenger: { sourceModel: CHALLENGER },
        config: { split: [70, 30], metric: 'logLoss', minSamples: 100, maxDays: 14, alpha: 0.05, minEffect: 0.05, canary: false },
      });
      await page.waitForSelector(`[data-testid="ab-experiment"][data-name="${EXPERIMENT}"][data-status="running"]`);
      expect(await page.getAttribute('[data-testid="ab-ramp"]', 'data-status')).toBe('off');

      // Scoring elsewhere (the API, as POST /api/v1/predict would): the page catches up by itself while the experiment runs.
      const predicted = await apiCall(wb.serve, 'deploy.predict', { name: DEPLOYMENT, gameIds, via: 'api' });
      expect(predicted.predictions).toHaveLength(gameIds.length);
      expect(predicted.predictions.every((p) => p.experiment?.experiment === EXPERIMENT)).toBe(true);
      const routed = predicted.predictions.filter((p) => p.experiment?.variant === 'challenger').length;
      await page.waitForSelector(`[data-testid="ab-variant"][data-variant="challenger"][data-assigned="${routed}"]`, {
        timeout: LIVE_WAIT_MS,
      });
      await page.waitForSelector('[data-testid="screen-ab"][data-loaded="true"]');

      const status = await apiCall(wb.serve, 'ab.status', { name: EXPERIMENT });
      expect(status.variants.map((v) => v.variant)).toEqual(['control', 'challenger']);
      expect(status.variants[0].assigned + status.variants[1].assigned).toBe(gameIds.length);
      expect(status.variants.every((v) => v.games > 0 && v.metrics.logLoss !== null)).toBe(true);
      expect(status.paired).not.toBeNull();
      expect(status.routed).not.toBeNull();
      expect(status.timeline.length).toBeGreaterThan(1);
      expect(status.timeline[0].date >= firstDay && status.timeline[status.timeline.length - 1].date <= lastDay).toBe(true);
      // Fewer settled challenger games than the minimum: no decision, so promote is refused with the engine's reason.
      expect(status.variants[1].games).toBeLessThan(100);
      expect(status.decision.outcome).toBe('continue');
      expect(status.actions.promote.allowed).toBe(false);
      expect(status.actions.stop.allowed).toBe(true);
      await expectPageShows(page, status);
      expect(await text(page, '[data-testid="ab-promote-why"]')).toContain('the analysis has not chosen the challenger');
      await page.waitForSelector('[data-testid="ab-boundary-plot"][data-drawn="true"]');
      await page.locator('[data-testid="ab-detail"]').scrollIntoViewIfNeeded();
      await screenshot(page, 'ab-tests-running');

      // Stop from the page: the status changes, and every button now says why it cannot act.
      await page.fill('[data-testid="ab-action-reason"]', 'enough for the e2e test');
      await page.click('[data-testid="ab-stop"]');
      await page.waitForSelector(`[data-testid="ab-detail"][data-name="${EXPERIMENT}"][data-status="stopped"]`);
      await page.waitForSelector(`[data-testid="ab-experiment"][data-name="${EXPERIMENT}"][data-status="stopped"]`);
      await page.waitForSelector('[data-testid="screen-ab"][data-loaded="true"]');
      const stopped = await apiCall(wb.serve, 'ab.status', { name: EXPERIMENT });
      expect(stopped.experiment.status).toBe('stopped');
      expect(stopped.events.some((e) => e.kind === 'stopped')).toBe(true);
      expect(Object.values(stopped.actions).every((a) => !a.allowed)).toBe(true);
      await expectPageShows(page, stopped);
      expect(await text(page, '[data-testid="ab-stop-why"]')).toContain('the experiment is stopped already');
      // The engine refuses a second stop as the page says.
      await expect(apiCall(wb.serve, 'ab.stop', { name: EXPERIMENT })).rejects.toThrow('EXPERIMENT_NOT_RUNNING');

      expect(await wb.cspViolations()).toEqual([]);
      // The one error the page met is the refused start's answer, which Chromium logs as a failed resource.
      expect(wb.consoleLines().filter((l) => l.startsWith('[error]') || l.startsWith('[pageerror]'))).toEqual([
        '[error] Failed to load resource: the server responded with a status of 400 (Bad Request)',
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "shows a replay's experiment under its id, with its numbers, and says why it cannot be stopped, promoted or rolled back",
    async () => {
      const { page } = wb;
      const replayed = await runJobOverApi(wb.serve, 'deploy.replay', {
        model: CONTROL,
        challenger: CHALLENGER,
        season: SEASON,
        from: firstDay,
        to: lastDay,
      });
      expect(replayed.state, replayed.error ?? '').toBe('completed');
      const result = jobResult(replayed, 'deploy.replay');
      expect(result.experiments).toHaveLength(1);
      const [listed] = await apiCall(wb.serve, 'ab.list', { all: true, replay: result.replayId });
      expect(listed.name).toBe(result.experiments[0].name);

      await wb.openScreen('ab');
      await page.waitForSelector('[data-testid="screen-ab"][data-loaded="true"]');
      await page.selectOption('[data-testid="ab-replay"]', result.replayId);
      await page.waitForSelector(`[data-testid="ab-detail"][data-name="${listed.name}"][data-replay="${result.replayId}"]`);
      await page.waitForSelector('[data-testid="screen-ab"][data-loaded="true"]');
      expect(await page.getAttribute('[data-testid="ab-list"]', 'data-replay')).toBe(result.replayId);
      const names = await page.$$eval('[data-testid="ab-experiment"]', (els) => els.map((e) => (e as HTMLElement).dataset.name));
      expect(names).toEqual([listed.name]);

      const status = await apiCall(wb.serve, 'ab.status', { name: listed.name, replay: result.replayId });
      // The replay's own summary and the status agree on the variants (control first).
      expect(status.variants.map((v) => [v.variant, v.name, v.games])).toEqual(
        result.experiments[0].variants.map((v) => [v.variant, v.name, v.games]),
      );
      for (const v of status.variants) {
        const row = `[data-testid="ab-variant"][data-variant="${v.variant}"]`;
        expect(await text(page, `${row} [data-testid="ab-variant-games"]`)).toBe(String(v.games));
        expect(await text(page, `${row} [data-testid="ab-variant-logloss"]`)).toBe(
          `${figure(v.metrics.logLoss)} ${interval('logLoss', v.metrics.logLossCi)}`,
        );
      }
      expect(JSON.parse((await page.getAttribute('[data-testid="ab-boundary"]', 'data-dates'))!)).toEqual(
        status.timeline.map((p) => p.date),
      );
      // Evidence only: every action disabled, each saying why (the engine's reason, or that a replay's buttons act on nothing).
      for (const action of ['stop', 'promote', 'rollback'] as const) {
        expect(await page.isDisabled(`[data-testid="ab-${action}"]`), action).toBe(true);
        const why = await text(page, `[data-testid="ab-${action}-why"]`);
        expect(why).toContain(
          status.actions[action].allowed ? "A replay's experiment is evidence only" : status.actions[action].reason.replace(/\s+/g, ' '),
        );
      }
      expect(await text(page, '[data-testid="ab-promote-why"]')).toContain("a replay's experiment is evidence only");
      await page.locator('[data-testid="ab-detail"]').scrollIntoViewIfNeeded();
      await screenshot(page, 'ab-tests-replay');

      // Back to live: the stopped experiment of the first test.
      await page.selectOption('[data-testid="ab-replay"]', '');
      await page.waitForSelector(`[data-testid="ab-detail"][data-name="${EXPERIMENT}"][data-replay=""]`);
      expect(wb.consoleLines().filter((l) => l.startsWith('[error]') || l.startsWith('[pageerror]'))).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});

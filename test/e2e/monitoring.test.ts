import { beforeAll, describe, expect, it } from 'vitest';
import { jobResult } from '../../src-main/api/contract';
import { hasChromium, screenshot } from './support/browser';
import { apiCall, runJobOverApi } from './support/apiCalls';
import { useWorkbench, type Workbench } from './support/workbench';

const JOB_TIMEOUT_MS = 120_000;
/** A replay and a live deployment on a busy two-core machine: longer than vitest's default per test. */
const TEST_TIMEOUT_MS = 180_000;
const USER = 'quinn';
const MODEL = 'mon-model';
const SEASON = 2012;
/** Days of the season the live deployment scores and the replay walks: past the 200 games drift is judged from. */
const DAYS = 24;
/** Tight enough that per-feature drift fires on the demo's windows, so there are alerts to show and acknowledge. */
const TIGHT_POLICY = 'featureDrift: { default: { method: psi, threshold: 0.02 } }';
/**
 * The live deployment scores a past season: its reference is named, since by default a live check (on the
 * wall clock's year) takes every finished season after training as the reference, the scored one included.
 */
const LIVE_POLICY = `${TIGHT_POLICY}\nreference: { source: seasons, seasons: '2011' }`;

/** The JSON a data attribute of the page holds. */
async function dataJson<T>(wb: Workbench, selector: string, attribute: string): Promise<T> {
  const text = await wb.page.getAttribute(selector, attribute);
  expect(text, `${selector} ${attribute}`).not.toBeNull();
  return JSON.parse(text!) as T;
}

/** Feature names in the order a check lists their drift (the engine's order). */
const driftFeatures = (results: { monitor: string; subject: string | null }[]): string[] =>
  results.filter((r) => r.monitor === 'featureDrift' && r.subject !== null).map((r) => r.subject!);

describe.skipIf(!hasChromium())('Monitoring screen (serve mode, headless Chromium)', () => {
  const wb = useWorkbench({ serveEnv: { BULLPEN_USER: USER } });
  /** The season's game dates and the games of each, as the model scores them. */
  let dates: string[] = [];
  const gamesOn = new Map<string, string[]>();

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
    const scored = await runJobOverApi(wb.serve, 'ml.predict', { model: MODEL, seasons: String(SEASON) });
    expect(scored.state, scored.error ?? '').toBe('completed');
    for (const p of jobResult(scored, 'ml.predict').predictions) gamesOn.set(p.date, [...(gamesOn.get(p.date) ?? []), p.gameId]);
    dates = [...gamesOn.keys()].sort().slice(0, DAYS);
    expect(dates).toHaveLength(DAYS);
  }, TEST_TIMEOUT_MS);

  it(
    'says how to deploy when nothing is, deploys from the page, and shows the check: drift heatmap of the real features, quality, alerts acknowledged as the configured user',
    async () => {
      const { page } = wb;
      await wb.openScreen('monitoring');
      await page.waitForSelector('[data-testid="screen-monitoring"][data-loaded="true"]');
      expect(await page.textContent('[data-testid="mon-deployments-empty"]')).toContain('bullpen deploy start --model NAME');
      expect(await page.textContent('[data-testid="mon-replays-empty"]')).toContain('bullpen deploy replay');

      // Deploy version 1 from the page under a tight drift policy.
      await page.selectOption('[data-testid="mon-deploy-model"]', `${MODEL}:1`);
      await page.fill('[data-testid="mon-deploy-name"]', 'live');
      await page.click('[data-testid="mon-deploy-policy-open"]');
      await page.fill('[data-testid="mon-deploy-policy"]', LIVE_POLICY);
      await page.click('[data-testid="mon-deploy"]');
      await page.waitForSelector('[data-testid="mon-deployment"][data-name="live"][data-status="active"]');
      await page.waitForSelector('[data-testid="mon-detail"][data-kind="live"][data-name="live"][data-status="active"]');
      const [deployed] = await apiCall(wb.serve, 'deploy.list', { all: true });
      expect(deployed).toMatchObject({ name: 'live', modelName: MODEL, version: 1, status: 'active' });
      expect(deployed.policy.featureDrift.default).toEqual({ method: 'psi', threshold: 0.02 });
      expect(deployed.policy.reference).toEqual({ source: 'seasons', seasons: '2011' });
      expect(await page.textContent('[data-testid="mon-model"]')).toBe(`${MODEL}:1`);
      // Nothing logged yet: the check says why it waits.
      expect(await page.isDisabled('[data-testid="mon-check-now"]')).toBe(true);
      expect(await page.textContent('[data-testid="mon-action-why"]')).toContain('score some games first');

      // The first day's games scored from the page, the rest of the days over the API, then a check from the page.
      await page.fill('[data-testid="mon-score-date"]', dates[0]);
      await page.click('[data-testid="mon-score"]');
      const scoredRow = await page.waitForSelector('[data-testid="mon-scored"]');
      expect(Number(await scoredRow.getAttribute('data-scored'))).toBe(gamesOn.get(dates[0])!.length);
      const rest = dates.slice(1).flatMap((d) => gamesOn.get(d)!);
      const predicted = await apiCall(wb.serve, 'deploy.predict', { name: 'live', gameIds: rest, via: 'api' });
      expect(predicted.predictions).toHaveLength(rest.length);
      await page.click('[data-testid="mon-check-now"]');
      await page.waitForSelector('[data-testid="mon-detail"]:not([data-checks="0"])');

      // The engine's scheduler may add an hourly check of its own while the test runs: the page is compared with what the engine lists.
      const checks = await apiCall(wb.serve, 'deploy.checks', { name: 'live' });
      await page.waitForSelector(`[data-testid="mon-detail"][data-checks="${checks.length}"]`);
      const check = checks[0];
      expect(check.window.to).toBe(dates[DAYS - 1]);
      const features = driftFeatures(check.results);
      expect(features.length).toBeGreaterThan(10);
      // The heatmap: one row per monitored feature, one column for the checked date, drawn with every feature's name.
      expect(await dataJson<string[]>(wb, '[data-testid="mon-heatmap"]', 'data-features')).toEqual(features);
      expect(await dataJson<string[]>(wb, '[data-testid="mon-heatmap"]', 'data-dates')).toEqual([check.window.to]);
      await page.waitForSelector('[data-testid="mon-heatmap-plot"][data-drawn="true"]');
      const ticks = await page.$$eval('[data-testid="mon-heatmap-plot"] .yaxislayer-above .ytick text', (els) =>
        els.map((e) => e.textContent),
      );
      expect([...ticks].sort()).toEqual([...features].sort());
      // Quality: one row per feature the check judged, the summary as the engine wrote it.
      const qualityFeatures = new Set(
        check.results.filter((r) => r.monitor === 'missingValues' || r.monitor === 'outOfRange').map((r) => r.subject),
      );
      expect(await page.locator('[data-testid="mon-quality-row"]').count()).toBe(qualityFeatures.size);
      const quality = check.results.find((r) => r.monitor === 'dataQuality')!;
      expect(await page.getAttribute('[data-testid="mon-quality-summary"]', 'data-status')).toBe(quality.status);
      expect(await page.textContent('[data-testid="mon-quality-summary"]')).toContain(quality.explanation);
      // The drift score of the check on the timeline; the prediction distribution over the window's logged games.
      const checkedDates = [...new Set(checks.map((c) => c.window.to ?? c.checkedAt.slice(0, 10)))].sort();
      expect(await dataJson<string[]>(wb, '[data-testid="mon-timeline"]', 'data-dates')).toEqual(checkedDates);
      const inWindow = (await apiCall(wb.serve, 'deploy.predictions', { name: 'live', limit: 5000 })).filter(
        (l) => l.gameDate >= check.window.from! && l.gameDate <= check.window.to!,
      );
      expect(Number(await page.getAttribute('[data-testid="mon-distribution"]', 'data-n'))).toBe(inWindow.length);

      // The alerts the check opened, as the engine lists them; one acknowledged from the page.
      const alerts = await apiCall(wb.serve, 'deploy.alerts', { name: 'live' });
      expect(alerts.length).toBeGreaterThan(0);
      const shownIds = await page.$$eval('[data-testid="mon-alert"]', (rows) => rows.map((r) => (r as HTMLElement).dataset.alertId));
      expect(shownIds).toEqual(alerts.map((a) => a.id));
      expect(await page.textContent('[data-testid="mon-actor"]')).toBe(USER);
      // The check's alerts were announced as one engine event (the desktop shell shows it as one OS notification, not one per feature).
      expect(alerts.length).toBeGreaterThan(3);
      const notice = await page.waitForSelector(`[data-testid="mon-notice"]:has-text("${alerts.length} alerts on live")`);
      expect(shownIds).toContain(await notice.getAttribute('data-alert-id'));
      expect(await notice.textContent()).toContain(`and ${alerts.length - 3} more`);
      const target = alerts[0];
      const row = page.locator(`[data-testid="mon-alert"][data-alert-id="${target.id}"]`);
      await row.locator('[data-testid="mon-ack"]').click();
      await page.waitForSelector(`[data-testid="mon-alert"][data-alert-id="${target.id}"][data-acknowledged-by="${USER}"]`);
      expect(await row.locator('[data-testid="mon-acked"]').textContent()).toContain(`by ${USER}`);
      expect(await row.locator('[data-testid="mon-ack"]').count()).toBe(0);
      const after = (await apiCall(wb.serve, 'deploy.alerts', { name: 'live' })).find((a) => a.id === target.id)!;
      expect(after.acknowledgedBy).toBe(USER);
      expect(after.acknowledgedAt).not.toBeNull();
      // Others stay to acknowledge.
      expect(await page.locator('[data-testid="mon-ack"]').count()).toBe(alerts.length - 1);
      await screenshot(page, 'monitoring-live');
      expect(await wb.cspViolations()).toEqual([]);
      expect(wb.consoleLines().filter((l) => l.startsWith('[error]') || l.startsWith('[pageerror]'))).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'replays part of a season from the page as a job, then shows its timeline over the replayed days with the alerts, and its drift heatmap',
    async () => {
      const { page } = wb;
      await wb.openScreen('monitoring');
      await page.waitForSelector('[data-testid="screen-monitoring"][data-loaded="true"]');
      await page.selectOption('[data-testid="mon-replay-model"]', MODEL);
      await page.selectOption('[data-testid="mon-replay-season"]', String(SEASON));
      await page.fill('[data-testid="mon-replay-from"]', dates[0]);
      await page.fill('[data-testid="mon-replay-to"]', dates[DAYS - 1]);
      await page.click('[data-testid="mon-replay-policy-open"]');
      await page.fill('[data-testid="mon-replay-policy"]', TIGHT_POLICY);
      // A range that ends before it starts is refused on the page, with the reason.
      await page.fill('[data-testid="mon-replay-to"]', `${SEASON}-01-01`);
      expect(await page.isDisabled('[data-testid="mon-replay-start"]')).toBe(true);
      expect(await page.textContent('[data-testid="mon-replay-why"]')).toContain('is after');
      await page.fill('[data-testid="mon-replay-to"]', dates[DAYS - 1]);

      await page.click('[data-testid="mon-replay-start"]');
      // The job with its progress and Cancel while it runs, as every job.
      const jobRow = await page.waitForSelector('[data-testid="mon-replay-job"] [data-testid="job-row"]');
      const jobId = (await jobRow.getAttribute('data-job-id'))!;
      await page.waitForSelector(`[data-testid="mon-replay-job"] [data-testid="job-row"][data-state="completed"]`, {
        timeout: JOB_TIMEOUT_MS,
      });
      const job = await apiCall(wb.serve, 'jobs.get', { id: jobId });
      const result = jobResult(job, 'deploy.replay');
      expect(result.days).toBe(DAYS);
      expect(result.driftScore.map((p) => p.date)).toEqual(dates);

      // Shown at once: the replay's detail, its timeline over exactly the replayed days with the alerts as markers.
      await page.waitForSelector(`[data-testid="mon-detail"][data-kind="replay"][data-replay-id="${result.replayId}"]`);
      await page.waitForSelector(`[data-testid="mon-replay-row"][data-replay-id="${result.replayId}"][data-state="completed"]`);
      expect(await dataJson<string[]>(wb, '[data-testid="mon-timeline"]', 'data-dates')).toEqual(dates);
      expect(result.alerts.length).toBeGreaterThan(0);
      expect(Number(await page.getAttribute('[data-testid="mon-timeline"]', 'data-alerts'))).toBe(result.alerts.length);
      expect(await dataJson<string[]>(wb, '[data-testid="mon-timeline"]', 'data-alert-dates')).toEqual(
        [...new Set(result.alerts.map((a) => a.date))].sort(),
      );
      await page.waitForSelector('[data-testid="mon-timeline-plot"][data-drawn="true"]');

      // The heatmap: every date the replay judged drift on, every feature it judged, as the replay's checks say.
      const name = `replay-${SEASON}`;
      const checks = await apiCall(wb.serve, 'deploy.checks', { name, replay: result.replayId, limit: 1000 });
      expect(checks).toHaveLength(DAYS);
      const judged = checks.filter((c) => driftFeatures(c.results).length > 0).map((c) => c.window.to!);
      expect(judged.length).toBeGreaterThan(0);
      const newest = checks.find((c) => driftFeatures(c.results).length > 0)!;
      await page.waitForSelector(`[data-testid="mon-detail"][data-checks="${DAYS}"]`);
      expect(await dataJson<string[]>(wb, '[data-testid="mon-heatmap"]', 'data-dates')).toEqual([...judged].sort());
      expect(await dataJson<string[]>(wb, '[data-testid="mon-heatmap"]', 'data-features')).toEqual(driftFeatures(newest.results));
      expect(Number(await page.getAttribute('[data-testid="mon-heatmap"]', 'data-unjudged'))).toBe(DAYS - judged.length);

      // The replay's alerts, as the engine recorded them under its id; a replay's alerts are not acknowledged.
      const alerts = await apiCall(wb.serve, 'deploy.alerts', { name, replay: result.replayId, limit: 500 });
      expect(alerts).toHaveLength(result.alerts.length);
      const shownIds = await page.$$eval('[data-testid="mon-alert"]', (rows) => rows.map((r) => (r as HTMLElement).dataset.alertId));
      expect(shownIds).toEqual(alerts.map((a) => a.id));
      expect(await page.locator('[data-testid="mon-ack"]').count()).toBe(0);
      // Replays never show up as live deployments.
      expect((await apiCall(wb.serve, 'deploy.list', { all: true })).map((d) => d.name)).toEqual(['live']);
      await page.locator('[data-testid="mon-timeline"]').scrollIntoViewIfNeeded();
      await screenshot(page, 'monitoring-replay');
      expect(await wb.cspViolations()).toEqual([]);
      expect(wb.consoleLines().filter((l) => l.startsWith('[error]') || l.startsWith('[pageerror]'))).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it('says what went wrong when asked for a deployment that does not exist, in the words of the engine', async () => {
    const { page } = wb;
    await wb.openScreen('monitoring');
    await page.waitForSelector('[data-testid="screen-monitoring"][data-loaded="true"]');
    const res = await fetch(`${wb.serve.origin}/api/ops/deploy.show`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${wb.serve.token}` },
      body: JSON.stringify({ name: 'no-such-deployment' }),
    });
    expect(res.status).toBe(404);
    const { error } = (await res.json()) as { error: { code: string; message: string } };

    await page.fill('[data-testid="mon-open-name"]', 'no-such-deployment');
    await page.click('[data-testid="mon-open-name-go"]');
    const banner = await page.waitForSelector(`[data-testid="error-banner"][data-code="${error.code}"]`);
    expect(await banner.textContent()).toContain(error.message);
    expect(await banner.textContent()).toContain('no-such-deployment');
    await page.waitForSelector('[data-testid="screen-monitoring"][data-loaded="true"]');
    expect(await wb.cspViolations()).toEqual([]);
  });
});

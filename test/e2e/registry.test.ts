import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot } from './support/browser';
import { apiCall, runJobOverApi } from './support/apiCalls';
import { useWorkbench, type Workbench } from './support/workbench';
import { mlflowServer, requireMlflow } from '../support/mlflow';

const JOB_TIMEOUT_MS = 120_000;
const LENIENT = readFileSync(resolve(__dirname, '../fixtures/validation/lenient.yaml'), 'utf8');

/** The visible sentence under a version's promote button, and whether the button is enabled. */
async function promoteState(
  wb: Workbench,
  version: number,
  to: 'staging' | 'production',
): Promise<{ enabled: boolean; why: string | null }> {
  const row = wb.page.locator(`[data-testid="reg-version"][data-version="${version}"]`);
  const enabled = await row.locator(`[data-testid="reg-promote-${to}"]`).isEnabled();
  const why = row.locator(`[data-testid="reg-blocked-${to}"]`);
  return { enabled, why: (await why.count()) ? await why.textContent() : null };
}

async function validate(wb: Workbench, model: string): Promise<void> {
  const job = await runJobOverApi(wb.serve, 'ml.validate', { model });
  expect(job.state, job.error ?? '').toBe('completed');
}

describe.skipIf(!hasChromium())('Registry screen (serve mode, headless Chromium)', () => {
  // With an MLflow test server configured (CI starts one), the serve process exports to it: the browser may not choose the server.
  const mlflow = requireMlflow([3]) ? mlflowServer(3) : null;
  const wb = useWorkbench({ serveEnv: { BULLPEN_USER: 'erin', ...(mlflow ? { MLFLOW_TRACKING_URI: mlflow.uri } : {}) } });

  beforeAll(async () => {
    const demo = await runJobOverApi(wb.serve, 'demo.build', { seed: 4, seasons: '2010-2012' });
    expect(demo.state, demo.error ?? '').toBe('completed');
    // Validations below run under a policy every gate passes; the page decides when they happen.
    await apiCall(wb.serve, 'ml.policy.set', { text: LENIENT });
    for (const [name, seed] of [
      ['reg-a', 42],
      ['reg-b', 7],
    ] as const) {
      const job = await runJobOverApi(wb.serve, 'ml.train', {
        train: '2010',
        valid: '2011',
        name,
        seed,
        numBoostRound: 40,
        validate: false,
      });
      expect(job.state, job.error ?? '').toBe('completed');
    }
  });

  it('blocks promotion with the reason on the page until the version is validated and approved, then promotes it', async () => {
    const { page } = wb;
    await wb.openScreen('registry');
    await page.waitForSelector('[data-testid="screen-registry"][data-loaded="true"]');
    await page.selectOption('[data-testid="reg-register-model"]', 'reg-a');
    await page.fill('[data-testid="reg-register-as"]', 'champ');
    await page.click('[data-testid="reg-register"]');
    await page.waitForSelector(
      '[data-testid="reg-model"][data-model="champ"] [data-testid="reg-version"][data-version="1"][data-stage="development"]',
    );
    expect(await page.textContent('[data-testid="reg-actor"]')).toBe('erin');

    // Never validated, never approved: the button is disabled and the page says both reasons, as the engine words them.
    let state = await promoteState(wb, 1, 'production');
    const gate = await apiCall(wb.serve, 'registry.check', { name: 'champ:1', to: 'production' });
    expect(gate.allowed).toBe(false);
    // Commands in the reason are shown as code (without their backticks).
    expect(state).toEqual({ enabled: false, why: gate.reason.replaceAll('`', '') });
    expect(state.why).toMatch(/never been validated.*no approval for production/);
    await screenshot(page, 'registry-blocked');

    // Validated (a job from elsewhere): the page reads the gates again when it ends; the approval still blocks.
    await validate(wb, 'reg-a');
    await page.waitForSelector('[data-testid="reg-version"][data-version="1"] [data-testid="reg-validation"][data-status="passed"]', {
      timeout: JOB_TIMEOUT_MS,
    });
    state = await promoteState(wb, 1, 'production');
    expect(state.enabled).toBe(false);
    expect(state.why).toMatch(/^version 1 of champ has no approval for production/);

    // The decision form says why it waits, then records the approval as the configured user.
    expect(await page.isDisabled('[data-testid="reg-approve"]')).toBe(true);
    expect(await page.textContent('[data-testid="reg-decision-why"]')).toMatch(/Write a comment/);
    await page.selectOption('[data-testid="reg-decision-version"]', '1');
    await page.selectOption('[data-testid="reg-decision-stage"]', 'production');
    await page.fill('[data-testid="reg-decision-comment"]', 'holdout and CV reviewed');
    await page.click('[data-testid="reg-approve"]');
    await page.waitForSelector(
      '[data-testid="reg-version"][data-version="1"] [data-testid="reg-approval"][data-stage="production"][data-decision="approved"]',
    );
    state = await promoteState(wb, 1, 'production');
    expect(state).toEqual({ enabled: true, why: null });

    await page.click('[data-testid="reg-version"][data-version="1"] [data-testid="reg-promote-production"]');
    await page.waitForSelector('[data-testid="reg-version"][data-version="1"][data-stage="production"]');
    const shown = await apiCall(wb.serve, 'registry.show', { name: 'champ' });
    expect(shown.versions).toMatchObject([{ version: 1, stage: 'production', approvals: [{ actor: 'erin', stage: 'production' }] }]);

    // The audit trail: every change, newest first, and the chain verified.
    const actions = await page.$$eval('[data-testid="reg-audit-entry"]', (li) => li.map((e) => (e as HTMLElement).dataset.action));
    expect(actions).toEqual(['promote', 'approve', 'register']);
    expect(await page.getAttribute('[data-testid="reg-audit-status"]', 'data-ok')).toBe('true');
    // Export to MLflow with progress, when a test server is configured (CI starts one through .ci/services).
    if (mlflow) {
      await page.click('[data-testid="reg-export-slot"] [data-testid="reg-export"]');
      await page.waitForSelector('[data-testid="reg-export-job"] [data-testid="job-row"][data-state="completed"]', {
        timeout: JOB_TIMEOUT_MS,
      });
      await page.waitForSelector('[data-testid="reg-audit-entry"][data-action="export"]');
    }
    expect(await wb.cspViolations()).toEqual([]);
    expect(wb.consoleLines().filter((l) => l.startsWith('[error]') || l.startsWith('[pageerror]'))).toEqual([]);
  });

  it('archives the previous production version when a new one is promoted, and rolls back to it in one click', async () => {
    const { page } = wb;
    await apiCall(wb.serve, 'registry.register', { model: 'reg-b', as: 'champ' });
    await validate(wb, 'reg-b');
    await apiCall(wb.serve, 'registry.approve', { name: 'champ:2', stage: 'production', comment: 'better log loss' });

    await wb.openScreen('registry');
    await page.waitForSelector('[data-testid="screen-registry"][data-loaded="true"]');
    await page.click('[data-testid="reg-model-row"][data-model="champ"] [data-testid="reg-open"]');
    await page.waitForSelector('[data-testid="reg-version"][data-version="2"][data-stage="development"]');
    // Nothing was in production before version 1: rollback is disabled and says so.
    expect(await page.isDisabled('[data-testid="reg-rollback"]')).toBe(true);
    expect(await page.textContent('[data-testid="reg-rollback-why"]')).toMatch(/no earlier production version to restore/);

    expect(await promoteState(wb, 2, 'production')).toEqual({ enabled: true, why: null });
    await page.click('[data-testid="reg-version"][data-version="2"] [data-testid="reg-promote-production"]');
    await page.waitForSelector('[data-testid="reg-version"][data-version="2"][data-stage="production"]');
    await page.waitForSelector('[data-testid="reg-version"][data-version="1"][data-stage="archived"]');
    expect(await page.textContent('[data-testid="reg-rollback-why"]')).toBe('restores version 1 to production, archiving version 2');

    await page.click('[data-testid="reg-rollback"]');
    await page.waitForSelector('[data-testid="reg-version"][data-version="1"][data-stage="production"]');
    await page.waitForSelector('[data-testid="reg-version"][data-version="2"][data-stage="archived"]');
    const shown = await apiCall(wb.serve, 'registry.show', { name: 'champ' });
    expect(shown.versions.map((v) => [v.version, v.stage])).toEqual([
      [2, 'archived'],
      [1, 'production'],
    ]);
    const trail = await apiCall(wb.serve, 'registry.audit', { name: 'champ', verify: true });
    expect(trail.entries.slice(-2).map((e) => [e.action, e.version, e.after?.stage, e.actor])).toEqual([
      ['rollback', 2, 'archived', 'erin'],
      ['rollback', 1, 'production', 'erin'],
    ]);
    expect(trail.verification).toMatchObject({ ok: true });
    const actions = await page.$$eval('[data-testid="reg-audit-entry"]', (li) =>
      li.slice(0, 2).map((e) => (e as HTMLElement).dataset.action),
    );
    expect(actions).toEqual(['rollback', 'rollback']);
    await screenshot(page, 'registry-rolled-back');
    expect(await wb.cspViolations()).toEqual([]);
  });
});

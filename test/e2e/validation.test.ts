import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot } from './support/browser';
import { apiCall, runJobOverApi } from './support/apiCalls';
import { useWorkbench } from './support/workbench';

const JOB_TIMEOUT_MS = 120_000;
const MODEL = 'through-2011';

const downloads = mkdtempSync(join(tmpdir(), 'bullpen-e2e-validation-'));
afterAll(() => rmSync(downloads, { recursive: true, force: true }));

describe.skipIf(!hasChromium())('Validation screen (serve mode, headless Chromium)', () => {
  const wb = useWorkbench();

  beforeAll(async () => {
    const demo = await runJobOverApi(wb.serve, 'demo.build', { seed: 4, seasons: '2010-2012' });
    expect(demo.state, demo.error ?? '').toBe('completed');
    // Not validated on completion: the page starts the validation.
    const model = await runJobOverApi(wb.serve, 'ml.train', {
      train: '2010',
      valid: '2011',
      name: MODEL,
      numBoostRound: 60,
      validate: false,
    });
    expect(model.state, model.error ?? '').toBe('completed');
  });

  it('validates a model from the page: a job with progress, then every gate with its verdict, the list row and the report in a sandboxed frame, saved as a file', async () => {
    const { page } = wb;
    expect(await apiCall(wb.serve, 'ml.validations.list', { model: MODEL, limit: 10 })).toEqual([]);
    await wb.openScreen('validation');
    await page.waitForSelector('[data-testid="screen-validation"][data-loaded="true"]');
    await page.selectOption('[data-testid="val-model"]', MODEL);
    await page.click('[data-testid="val-start"]');
    await page.waitForSelector('[data-testid="val-job"] [data-testid="job-row"]');
    await page.waitForSelector('[data-testid="val-job"] [data-testid="job-row"][data-state="completed"]', { timeout: JOB_TIMEOUT_MS });
    const result = await page.waitForSelector('[data-testid="val-result"]', { timeout: JOB_TIMEOUT_MS });

    // What the page shows is what the engine stored.
    const { record, report } = await apiCall(wb.serve, 'ml.validations.show', { model: MODEL });
    expect(await result.getAttribute('data-run-id')).toBe(record.id);
    expect(await result.getAttribute('data-status')).toBe(report.status);
    expect(await page.textContent('[data-testid="val-status"]')).toBe(report.status === 'passed' ? 'PASSED' : 'FAILED');
    const gates = await page.$$eval('[data-testid="val-gate"]', (rows) =>
      rows.map((r) => ({
        name: (r as HTMLElement).dataset.gate,
        passed: (r as HTMLElement).dataset.passed,
        why: r.querySelector('td.why')?.textContent,
      })),
    );
    expect(gates).toEqual(report.gates.map((g) => ({ name: g.name, passed: String(g.passed), why: g.explanation })));
    expect(gates.length).toBeGreaterThanOrEqual(10);
    const row = page.locator(`[data-testid="val-row"][data-model="${MODEL}"]`);
    expect(await row.count()).toBe(1);
    expect(await row.getAttribute('data-status')).toBe(report.status);

    // The stored page, in a frame with an empty sandbox: no script, no same-origin access; its gates and charts drawn.
    const frameElement = await page.waitForSelector('[data-testid="val-report-frame"]');
    expect(await frameElement.getAttribute('sandbox')).toBe('');
    const frame = await frameElement.contentFrame();
    expect(frame).not.toBeNull();
    await frame!.waitForSelector('#gates-table');
    expect(await frame!.$$eval('#gates-table tbody tr', (rows) => rows.length)).toBe(report.gates.length);
    expect(await frame!.textContent('#status')).toBe(report.status === 'passed' ? 'PASSED' : 'FAILED');
    expect(await frame!.$$eval('svg.chart', (svgs) => svgs.length)).toBeGreaterThanOrEqual(4);
    expect(await frame!.$$eval('script', (s) => s.length)).toBe(0);
    await frameElement.scrollIntoViewIfNeeded();
    await screenshot(page, 'validation-result');

    // Save report: the page the engine stored, byte for byte.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="val-save"]')]);
    expect(download.suggestedFilename()).toBe(`validation-${MODEL}-${record.validatedAt.slice(0, 10)}.html`);
    const path = join(downloads, download.suggestedFilename());
    await download.saveAs(path);
    const stored = await apiCall(wb.serve, 'ml.validations.html', { id: record.id });
    expect(readFileSync(path, 'utf8')).toBe(stored.html);

    expect(await wb.cspViolations()).toEqual([]);
    expect(wb.consoleLines().filter((l) => l.startsWith('[error]') || l.startsWith('[pageerror]'))).toEqual([]);
  });

  it("opens the Validation screen from a training run in the Experiments screen, on the model's latest validation", async () => {
    const { page } = wb;
    const [latest] = await apiCall(wb.serve, 'ml.validations.list', { model: MODEL, limit: 1 });
    expect(latest).toBeDefined();
    await wb.openScreen('experiments');
    await page.waitForSelector('[data-testid="screen-experiments"][data-loaded="true"]');
    await page.click(`[data-testid="run-row"][data-run-name="${MODEL}"] [data-testid="run-open"]`);
    await page.waitForSelector('[data-testid="run-detail"][data-kind="train"]');
    // The training run carries its validation's verdict (a tag set when the validation completed).
    expect(await page.textContent('[data-testid="run-validation"]')).toBe(`Validation (${latest.status})`);
    await page.click('[data-testid="run-validation"]');
    await page.waitForSelector('[data-testid="screen-validation"]');
    await page.waitForSelector(`[data-testid="val-result"][data-run-id="${latest.id}"]`);
    expect(page.url()).toMatch(/#\/validation$/);
    expect(await page.inputValue('[data-testid="val-model"]')).toBe(MODEL);
    expect(await wb.cspViolations()).toEqual([]);
  });

  it('refuses a policy with a typo inline and keeps the text; once fixed, it is saved and read back', async () => {
    const { page } = wb;
    const before = await apiCall(wb.serve, 'ml.policy.get', {});
    expect(before.isDefault).toBe(true);
    await wb.openScreen('validation');
    await page.waitForSelector('[data-testid="screen-validation"][data-loaded="true"]');
    expect(await page.inputValue('[data-testid="policy-text"]')).toBe(before.text);

    const line = 'maxDrawdown: { enabled: true, max: 0.25 }';
    expect(before.text).toContain(line);
    const typo = before.text.replace(line, 'maxDrawdwn: { enabled: true, max: 0.3 }');
    await page.fill('[data-testid="policy-text"]', typo);
    await page.click('[data-testid="policy-save"]');
    const error = await page.waitForSelector('[data-testid="policy-error"]');
    expect(await error.getAttribute('data-code')).toBe('POLICY_INVALID');
    expect(await error.textContent()).toMatch(/gates\.maxDrawdwn.*did you mean.*maxDrawdown/);
    // Nothing lost, nothing saved.
    expect(await page.inputValue('[data-testid="policy-text"]')).toBe(typo);
    expect(await page.getAttribute('[data-testid="policy-text"]', 'aria-invalid')).toBe('true');
    expect(await page.$('[data-testid="policy-dirty"]')).not.toBeNull();
    expect((await apiCall(wb.serve, 'ml.policy.get', {})).text).toBe(before.text);
    await page.locator('[data-testid="policy-error"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'validation-policy-typo');

    const fixed = typo.replace('maxDrawdwn:', 'maxDrawdown:');
    await page.fill('[data-testid="policy-text"]', fixed);
    await page.click('[data-testid="policy-save"]');
    await page.waitForSelector('[data-testid="policy-saved"]');
    expect(await page.$('[data-testid="policy-error"]')).toBeNull();
    expect(await page.$('[data-testid="policy-dirty"]')).toBeNull();
    const after = await apiCall(wb.serve, 'ml.policy.get', {});
    expect(after.text).toBe(fixed);
    expect(after.isDefault).toBe(false);
    expect(after.policy.gates.maxDrawdown.max).toBe(0.3);

    // A new visit reads the saved policy back into the editor.
    await page.reload();
    await wb.openScreen('validation');
    await page.waitForSelector('[data-testid="screen-validation"][data-loaded="true"]');
    expect(await page.inputValue('[data-testid="policy-text"]')).toBe(fixed);
    expect(await wb.cspViolations()).toEqual([]);
  });
});

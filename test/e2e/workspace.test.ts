import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, screenshot } from './support/browser';
import { useWorkbench } from './support/workbench';

const JOB_TIMEOUT_MS = 60_000;

/** Records every (state, progress) a job row shows, from inside the page, as the DOM changes. */
async function recordJobRows(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Record<string, { state: string; progress: number }[]> = {};
    (window as unknown as { __jobHistory: typeof seen }).__jobHistory = seen;
    const note = () => {
      for (const row of document.querySelectorAll<HTMLElement>('[data-testid="job-row"]')) {
        const id = row.dataset.jobId ?? '';
        const entry = { state: row.dataset.state ?? '', progress: Number(row.dataset.progress) };
        const list = (seen[id] ??= []);
        const last = list[list.length - 1];
        if (!last || last.state !== entry.state || last.progress !== entry.progress) list.push(entry);
      }
    };
    note();
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state', 'data-progress'],
    });
  });
}

const jobHistory = (page: Page, id: string) =>
  page.evaluate(
    (jobId) => (window as unknown as { __jobHistory: Record<string, { state: string; progress: number }[]> }).__jobHistory[jobId] ?? [],
    id,
  );

/** Clicks "Run demo job" with the given settings and returns the id of the row that appears for it. */
async function startDemoFromPage(page: Page, rounds: number, stepDelayMs: number): Promise<string> {
  // The job list of earlier tests must be on screen first, or an old row would pass for the new one.
  await page.waitForSelector('[data-testid="screen-workspace"][data-loaded="true"]');
  const known = await page.$$eval('[data-testid="job-row"]', (rows) => rows.map((r) => (r as HTMLElement).dataset.jobId ?? ''));
  await page.fill('[data-testid="demo-rounds"]', String(rounds));
  await page.fill('[data-testid="demo-step-delay"]', String(stepDelayMs));
  await page.click('[data-testid="run-demo-job"]');
  const handle = await page.waitForFunction(
    (ids) =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="job-row"]')]
        .map((r) => r.dataset.jobId)
        .find((id) => id && !ids.includes(id)),
    known,
    { timeout: JOB_TIMEOUT_MS },
  );
  return (await handle.jsonValue()) as string;
}

const rowSelector = (id: string, state?: string) => `[data-testid="job-row"][data-job-id="${id}"]${state ? `[data-state="${state}"]` : ''}`;

describe.skipIf(!hasChromium())('Workspace screen (serve mode, headless Chromium)', () => {
  const wb = useWorkbench();

  it('shows the workspace path, schema version and table counts, and drops the token from the address bar', async () => {
    const { page, serve } = wb;
    await page.waitForSelector('[data-testid="workspace-path"]');
    expect(await page.textContent('[data-testid="workspace-path"]')).toBe(serve.workspacePath);
    const version = Number(await page.getAttribute('[data-testid="schema-version"]', 'data-version'));
    expect(version).toBeGreaterThanOrEqual(1);
    const tables = await page.$$eval('[data-testid="table-row"]', (rows) => rows.map((r) => (r as HTMLElement).dataset.table));
    expect(tables).toEqual(expect.arrayContaining(['bullpen_meta', 'jobs']));
    expect(page.url()).not.toContain('token');
    expect(await page.getAttribute('[data-testid="engine-status"]', 'data-state')).toBe('ready');
    expect(await wb.cspViolations()).toEqual([]);
    const shot = await screenshot(page, 'workspace-screen');
    expect(shot).toMatch(/workspace-screen\.png$/);
  });

  it('runs the demo job from the page to completed, showing progress updates on the way', async () => {
    const { page } = wb;
    await page.waitForSelector('[data-testid="run-demo-job"]:not([disabled])');
    await recordJobRows(page);
    const id = await startDemoFromPage(page, 3, 100);
    await page.waitForSelector(rowSelector(id, 'completed'), { timeout: JOB_TIMEOUT_MS });

    const history = await jobHistory(page, id);
    const progress = history.map((h) => h.progress);
    const intermediate = history.filter((h) => h.state === 'running' && h.progress > 0 && h.progress < 1);
    expect(intermediate.length, JSON.stringify(history)).toBeGreaterThanOrEqual(3);
    expect(progress, 'progress never goes backwards').toEqual([...progress].sort((a, b) => a - b));
    expect(history[history.length - 1]).toEqual({ state: 'completed', progress: 1 });
    expect(await page.$(`${rowSelector(id)} [data-testid="job-cancel"]`)).toBeNull();
  });

  it('cancels a running demo job from the page', async () => {
    const { page } = wb;
    await page.waitForSelector('[data-testid="run-demo-job"]:not([disabled])');
    await recordJobRows(page);
    // Many slow rounds: the job is certainly still running when the button is pressed.
    const id = await startDemoFromPage(page, 500, 200);
    await page.waitForSelector(rowSelector(id, 'running'), { timeout: JOB_TIMEOUT_MS });
    await page.click(`${rowSelector(id)} [data-testid="job-cancel"]`);
    await page.waitForSelector(rowSelector(id, 'cancelled'), { timeout: JOB_TIMEOUT_MS });

    const history = await jobHistory(page, id);
    expect(history.some((h) => h.state === 'running')).toBe(true);
    expect(history[history.length - 1].state).toBe('cancelled');
    expect(history[history.length - 1].progress).toBeLessThan(1);
    expect(await page.$(`${rowSelector(id)} [data-testid="job-cancel"]`)).toBeNull();
    await screenshot(page, 'workspace-jobs');
  });

  it('shows that the engine restarted after it was killed mid-job, and the job as interrupted', async () => {
    const { page } = wb;
    const id = await startDemoFromPage(page, 500, 200);
    await page.waitForSelector(rowSelector(id, 'running'), { timeout: JOB_TIMEOUT_MS });
    const pidText = (await page.textContent('[data-testid="engine-pid"]')) ?? '';
    const enginePid = Number(pidText.replace(/\D+/g, ''));
    expect(enginePid).toBeGreaterThan(0);
    expect(enginePid).not.toBe(wb.serve.child.pid);
    process.kill(enginePid, 'SIGKILL'); // the engine is a child of the serve process this file started

    await page.waitForSelector('[data-testid="engine-restarted"]', { timeout: JOB_TIMEOUT_MS });
    await page.waitForSelector(rowSelector(id, 'interrupted'), { timeout: JOB_TIMEOUT_MS });
    await page.waitForFunction((oldPid) => {
      const text = document.querySelector('[data-testid="engine-pid"]')?.textContent ?? '';
      return text !== '' && !text.includes(String(oldPid));
    }, enginePid);
    expect(wb.serve.child.exitCode).toBeNull();
    expect(await page.textContent('[data-testid="engine-restarted"]')).toMatch(/Restarted once/);
    await screenshot(page, 'workspace-engine-restarted');
  });

  it('refuses API calls and the event stream without the token, and tells the user how to get in', async () => {
    const { page, serve } = wb;
    await page.waitForSelector('[data-testid="workspace-path"]');
    // From the page's own origin, so only the missing token can be the reason.
    const status = await page.evaluate(async () => {
      const res = await fetch('/api/ops/workspace.info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return res.status;
    });
    expect(status).toBe(401);
    const wrongToken = await page.evaluate(async () => {
      const res = await fetch('/api/ops/workspace.info', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer not-the-token' },
        body: '{}',
      });
      return res.status;
    });
    expect(wrongToken).toBe(401);
    const socketOpened = await page.evaluate(
      () =>
        new Promise<boolean>((done) => {
          const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api/events`);
          ws.onopen = () => {
            ws.close();
            done(true);
          };
          ws.onerror = () => done(false);
        }),
    );
    expect(socketOpened).toBe(false);

    // A fresh tab on the bare address (no #token, nothing in sessionStorage) explains what to do.
    const bare = await wb.browser.context.newPage();
    try {
      await bare.goto(`${serve.origin}/`);
      await bare.waitForSelector('[data-testid="missing-token"]');
      expect(await bare.textContent('[data-testid="missing-token"]')).toContain('bullpen serve');
    } finally {
      await bare.close();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobManager } from '../../../src-main/engine/jobs/jobManager';
import { Workspace } from '../../../src-main/engine/workspace/workspace';
import { BullpenError } from '../../../src-main/shared/errors';
import type { EngineEvent, Job } from '../../../src-main/shared/events';
import { tempWorkspace, waitForEvent } from '../../support/waitForEvent';

describe('JobManager on a real workspace file', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let ws: Workspace;
  let jobs: JobManager;
  const listeners = new Set<(e: EngineEvent) => void>();
  const events: EngineEvent[] = [];
  const subscribe = (cb: (e: EngineEvent) => void) => {
    listeners.add(cb);
    return () => listeners.delete(cb);
  };

  beforeEach(async () => {
    tmp = await tempWorkspace();
    ws = await Workspace.open(tmp.path);
    events.length = 0;
    jobs = await JobManager.open(ws, (e) => {
      events.push(e);
      for (const cb of [...listeners]) cb(e);
    });
  });

  afterEach(async () => {
    await jobs.close();
    ws.close();
    await tmp.cleanup();
  });

  it('answers start with the persisted running job before the work runs', async () => {
    let ran = false;
    const job = await jobs.start('t', { a: 1 }, async () => {
      ran = true;
      return { ok: true };
    });
    expect(ran).toBe(false);
    expect(job).toMatchObject({ kind: 't', state: 'running', progress: 0, params: { a: 1 }, result: null });
    expect((await jobs.list({ limit: 10 })).map((j) => j.id)).toEqual([job.id]);
    await jobs.settled(job.id);
  });

  it('stores the run value as the result of a completed job, readable after reopening the file', async () => {
    const job = await jobs.start('t', {}, async (ctx) => {
      ctx.progress(0.5, 'half');
      return { answer: 42, list: [1, 2] };
    });
    const done = await jobs.settled(job.id);
    expect(done).toMatchObject({ state: 'completed', progress: 1, result: { answer: 42, list: [1, 2] }, error: null });
    await jobs.close();
    ws.close();
    ws = await Workspace.open(tmp.path);
    jobs = await JobManager.open(ws, () => undefined);
    expect(await jobs.get(job.id)).toMatchObject({ state: 'completed', result: { answer: 42, list: [1, 2] } });
    expect(jobs.interruptedAtStart).toEqual([]);
  });

  it('records a throwing run as failed with its message', async () => {
    const job = await jobs.start('t', {}, async () => {
      throw new Error('disk on fire');
    });
    expect(await jobs.settled(job.id)).toMatchObject({ state: 'failed', error: 'disk on fire', result: null });
    expect(await jobs.get(job.id)).toMatchObject({ state: 'failed', error: 'disk on fire' });
  });

  it("keeps the kind and code of a failed job's error, on disk too, so clients report the same failure", async () => {
    const job = await jobs.start('t', {}, async () => {
      throw new BullpenError('input', 'NO_GAMES', 'no games in 2030');
    });
    expect(await jobs.settled(job.id)).toMatchObject({ state: 'failed', errorKind: 'input', errorCode: 'NO_GAMES' });
    const fresh = await JobManager.open(ws, () => undefined);
    expect(await fresh.get(job.id)).toMatchObject({
      state: 'failed',
      error: 'no games in 2030',
      errorKind: 'input',
      errorCode: 'NO_GAMES',
    });
    await fresh.close();
    const plain = await jobs.start('t', {}, async () => {
      throw new Error('disk on fire');
    });
    const failed = await jobs.settled(plain.id);
    expect(failed.errorKind).toBeUndefined();
    expect(failed.errorCode).toBeUndefined();
  });

  it('throttles progress events yet always delivers and persists the latest value', async () => {
    const job = await jobs.start('t', {}, async (ctx) => {
      for (let i = 1; i <= 1000; i++) ctx.progress(i / 1001, `step ${i}`);
      await waitForEvent(subscribe, (e) => e.type === 'job' && e.job.message === 'step 1000');
      return null;
    });
    await jobs.settled(job.id);
    const progressEvents = events.filter((e) => e.type === 'job' && e.job.id === job.id && e.job.state === 'running');
    expect(progressEvents.length).toBeLessThan(20);
    expect(progressEvents.at(-1)).toMatchObject({ job: { message: 'step 1000' } });
  });

  it('cancels a running job through its signal and records it as cancelled', async () => {
    let sawAbort = false;
    const job = await jobs.start(
      't',
      {},
      (ctx) =>
        new Promise((_resolve, reject) => {
          ctx.progress(0.1, 'waiting');
          ctx.signal.addEventListener('abort', () => {
            sawAbort = true;
            try {
              ctx.throwIfCancelled();
            } catch (err) {
              reject(err);
            }
          });
        }),
    );
    await waitForEvent(subscribe, (e) => e.type === 'job' && e.job.id === job.id && e.job.message === 'waiting');
    const after = await jobs.cancel(job.id);
    expect(sawAbort).toBe(true);
    expect(after.state).toBe('cancelled');
    expect((await jobs.get(job.id)).state).toBe('cancelled');
  });

  it('refuses to cancel a finished job and reports unknown ids as not found', async () => {
    const job = await jobs.start('t', {}, async () => 1);
    await jobs.settled(job.id);
    await expect(jobs.cancel(job.id)).rejects.toMatchObject({ kind: 'conflict', code: 'JOB_NOT_ACTIVE' });
    const missing = await jobs.get('nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(BullpenError);
    expect(missing).toMatchObject({ kind: 'notFound', code: 'JOB_NOT_FOUND' });
  });

  it('ends jobs still running at close as interrupted', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const job: Job = await jobs.start(
      't',
      {},
      (ctx) =>
        new Promise((_res, rej) => {
          started();
          ctx.signal.addEventListener('abort', () => rej(new Error('stopped')));
        }),
    );
    await running;
    await jobs.close();
    ws.close();
    ws = await Workspace.open(tmp.path);
    jobs = await JobManager.open(ws, () => undefined);
    expect((await jobs.get(job.id)).state).toBe('interrupted');
  });
});

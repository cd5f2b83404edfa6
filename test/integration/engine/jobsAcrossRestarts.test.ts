import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient, type BullpenClient } from '../../../src-main/api/client';
import { jobResult } from '../../../src-main/api/contract';
import { EngineProcess } from '../../../src-main/api/host/engineProcess';
import { localTransport } from '../../../src-main/api/host/localTransport';
import { Engine } from '../../../src-main/engine/engine';
import type { EngineEvent } from '../../../src-main/shared/events';
import { tempWorkspace, waitForEvent } from '../../support/waitForEvent';

const jobEvent = (id: string, pred: (e: Extract<EngineEvent, { type: 'job' }>) => boolean) => (e: EngineEvent) =>
  e.type === 'job' && e.job.id === id && pred(e);

describe('jobs through the engine on a real workspace', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeEach(async () => {
    tmp = await tempWorkspace();
  });
  afterEach(async () => {
    await tmp.cleanup();
  });

  it('runs the demo job to completion with table counts and worker checksums', async () => {
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      const client: BullpenClient = createClient(localTransport(engine));
      const job = await client.call('jobs.runDemo', { stepDelayMs: 0, rounds: 2 });
      const done = await engine.jobs.settled(job.id);
      expect(done.state).toBe('completed');
      const result = jobResult(done, 'jobs.runDemo');
      expect(result.tables).toEqual(expect.arrayContaining([{ name: 'jobs', rows: 1 }]));
      expect(result.checksums.map((c) => c.round)).toEqual([1, 2]);
      expect((await client.call('jobs.list', {})).jobs[0]).toMatchObject({ id: job.id, state: 'completed' });
    } finally {
      await engine.close();
    }
  });

  it('cancels the demo job mid-run from the jobs.cancel op and persists cancelled', async () => {
    const engine = await Engine.open({ workspacePath: tmp.path });
    const client = createClient(localTransport(engine));
    try {
      const job = await client.call('jobs.runDemo', { stepDelayMs: 10_000, rounds: 50 });
      await waitForEvent(
        client.onEvent,
        jobEvent(job.id, (e) => e.job.progress > 0),
      );
      const cancelled = await client.call('jobs.cancel', { id: job.id });
      expect(cancelled.state).toBe('cancelled');
    } finally {
      await engine.close();
    }
    const again = await Engine.open({ workspacePath: tmp.path });
    try {
      expect((await createClient(localTransport(again)).call('jobs.list', {})).jobs[0].state).toBe('cancelled');
    } finally {
      await again.close();
    }
  });

  it('shows a job as interrupted after its engine process was killed and the engine restarted', async () => {
    const proc = await EngineProcess.start({ workspacePath: tmp.path });
    const client = createClient(proc);
    try {
      const job = await client.call('jobs.runDemo', { stepDelayMs: 10_000, rounds: 50 });
      await waitForEvent(
        client.onEvent,
        jobEvent(job.id, (e) => e.job.progress > 0),
      );
      const restarted = waitForEvent(client.onEvent, (e) => e.type === 'engine' && e.status === 'restarted');
      const interruptedEvent = waitForEvent(
        client.onEvent,
        jobEvent(job.id, (e) => e.job.state === 'interrupted'),
      );
      const oldPid = proc.pid;
      process.kill(oldPid ?? 0, 'SIGKILL');
      await restarted;
      await interruptedEvent;
      expect(proc.pid).not.toBe(oldPid);
      expect(await client.call('jobs.get', { id: job.id })).toMatchObject({
        state: 'interrupted',
        message: expect.stringMatching(/start it again/),
      });
      expect((await client.call('workspace.info', {})).engine.restarts).toBe(1);
    } finally {
      await proc.stop();
    }
  });

  it('refuses to start an engine process on a workspace from a newer build', async () => {
    const engine = await Engine.open({ workspacePath: tmp.path });
    await engine.workspace.setMeta('schema_version', '999');
    await engine.close();
    await expect(EngineProcess.start({ workspacePath: tmp.path })).rejects.toMatchObject({ code: 'WORKSPACE_TOO_NEW' });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renameSync, writeFileSync } from 'node:fs';
import { EngineProcess } from '../../../src-main/api/host/engineProcess';
import { ENV_RESTARTS } from '../../../src-main/api/host/protocol';
import { forkSpawner, type SpawnEngine } from '../../../src-main/api/host/spawn';
import type { EngineEvent } from '../../../src-main/shared/events';
import { tempWorkspace, waitForEvent } from '../../support/waitForEvent';

type EngineStatusEvent = Extract<EngineEvent, { type: 'engine' }>;

/**
 * The supervisor restarts a crashed engine, but not forever: a crash loop (native code that dies on every
 * start, a workspace that breaks the engine) would otherwise spin a process per second and hide the cause.
 * The engine here is the real built host in a real child process; the crashes are real SIGKILLs.
 */
describe('the engine supervisor caps a crash loop', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  /** The restart count each launched engine host was given, in launch order. */
  let launches: string[];
  const spawn: SpawnEngine = (entry, env) => {
    launches.push(env[ENV_RESTARTS]);
    return forkSpawner(entry, env);
  };
  let proc: EngineProcess | undefined;
  let statuses: EngineStatusEvent['status'][];

  async function start(options: { maxRestarts: number; restartWindowMs: number }): Promise<EngineProcess> {
    proc = await EngineProcess.start({ workspacePath: tmp.path, spawn, ...options });
    proc.onEvent((e) => {
      if (e.type === 'engine') statuses.push(e.status);
    });
    return proc;
  }

  const next = (p: EngineProcess, status: EngineStatusEvent['status']) =>
    waitForEvent<EngineStatusEvent>(
      (cb) => p.onEvent(cb),
      (e) => e.type === 'engine' && e.status === status,
    );

  /** Kills the running engine host as a native crash would, and waits until the supervisor restarted it. */
  async function crashAndAwaitRestart(p: EngineProcess): Promise<void> {
    const restarted = next(p, 'restarted');
    const pid = p.pid;
    process.kill(pid ?? 0, 'SIGKILL');
    await restarted;
    expect(p.pid).not.toBe(pid);
  }

  beforeEach(async () => {
    tmp = await tempWorkspace();
    launches = [];
    statuses = [];
  });

  afterEach(async () => {
    await proc?.stop();
    proc = undefined;
    await tmp.cleanup();
  });

  it('restarts up to maxRestarts crashes within the window, then launches nothing more and answers ENGINE_UNAVAILABLE', async () => {
    const MAX_RESTARTS = 2;
    const p = await start({ maxRestarts: MAX_RESTARTS, restartWindowMs: 3_600_000 });
    for (let k = 1; k <= MAX_RESTARTS; k++) {
      await crashAndAwaitRestart(p);
      expect(p.restarts).toBe(k);
      const info = await p.call('workspace.info', {});
      expect(info.ok, JSON.stringify(info)).toBe(true);
    }
    const lastPid = p.pid;
    const crashed = next(p, 'crashed');
    process.kill(lastPid ?? 0, 'SIGKILL');
    expect((await crashed).message).toMatch(/was killed by SIGKILL/);

    const answer = await p.call('workspace.info', {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', kind: 'internal' } });
    expect(answer.ok ? '' : answer.error.message).toMatch(new RegExp(`crashed ${MAX_RESTARTS + 1} times .*restart Bullpen`));
    // Exactly the first start and MAX_RESTARTS restarts were launched, each told its restart number.
    expect(launches).toEqual(['0', '1', '2']);
    expect(p.restarts).toBe(MAX_RESTARTS);
    expect(p.pid).toBe(lastPid);
    expect(statuses).toEqual(['crashed', 'restarted', 'crashed', 'restarted', 'crashed']);
  });

  it('counts only crashes inside the window: crashes spread wider than it keep being restarted', async () => {
    // A zero-length window holds no earlier crash, so each crash is the first of its window.
    const p = await start({ maxRestarts: 1, restartWindowMs: 0 });
    for (let k = 1; k <= 3; k++) await crashAndAwaitRestart(p);
    expect(p.restarts).toBe(3);
    expect(launches).toEqual(['0', '1', '2', '3']);
    const info = await p.call('workspace.info', {});
    expect(info.ok, JSON.stringify(info)).toBe(true);
  });

  it('stops at once, without retrying, when a restarted engine cannot open its workspace', async () => {
    const p = await start({ maxRestarts: 5, restartWindowMs: 3_600_000 });
    // The running engine keeps its open file; the next one to start finds a file that is not a database.
    renameSync(tmp.path, `${tmp.path}.moved`);
    writeFileSync(tmp.path, 'not a DuckDB database\n');
    const crashed: EngineStatusEvent[] = [];
    const fatal = waitForEvent<EngineStatusEvent>(
      (cb) => p.onEvent(cb),
      (e) => {
        if (e.type === 'engine' && e.status === 'crashed') crashed.push(e);
        return crashed.length === 2;
      },
    );
    process.kill(p.pid ?? 0, 'SIGKILL');
    await fatal;
    expect(crashed[0].message).toMatch(/was killed by SIGKILL/);
    // The second report is the restarted engine's own refusal to open the file, not another crash.
    expect(crashed[1].message).not.toMatch(/killed|exited/);
    const answer = await p.call('workspace.info', {});
    expect(answer.ok).toBe(false);
    expect(answer.ok ? null : answer.error.code).not.toBe('ENGINE_UNAVAILABLE');
    expect(answer.ok ? null : answer.error.message).toBe(crashed[1].message);
    expect(launches).toEqual(['0', '1']);
    expect(statuses).toEqual(['crashed', 'crashed']);
  });
});

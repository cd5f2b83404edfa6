// A sweep killed with kill -9 (the built CLI, SIGKILL after a few trials) and resumed: every trial that
// finished is kept as it was, the interrupted one runs again with the same parameters, and the sweep
// completes with the trials it was asked for, the same as an uninterrupted sweep with the same seed.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { Engine } from '../../../src-main/engine/engine';
import { tempWorkspace } from '../../support/waitForEvent';
import { call, runJobResult } from '../ml/mlWorkspace';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');
const SPEC = ['--target', 'home_win', '--features', 'default', '--sampler', 'tpe', '--pruner', 'none', '--seed', '9'];
const SMALL = ['--num-boost-round', '40', '--early-stopping-rounds', '10', '--splits', '2', '--workers', '1'];

describe('ml optimize killed with SIGKILL and resumed with --resume', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  async function withEngine<T>(fn: (engine: Engine) => Promise<T>): Promise<T> {
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      return await fn(engine);
    } finally {
      await engine.close();
    }
  }
  beforeAll(async () => {
    tmp = await tempWorkspace();
    await withEngine(async (engine) => {
      await buildDemo(engine.workspace, { seed: 23, firstSeason: 2010, lastSeason: 2012, marketInefficiency: true, scoringShift: false });
    });
  }, 120_000);
  afterAll(async () => tmp?.cleanup());

  it('keeps the finished trials, re-runs the interrupted one with its parameters, and ends as an uninterrupted sweep', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'ml', 'optimize', ...SPEC, ...SMALL, '--trials', '14', '--name', 'killed', '--workspace', tmp.path],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    await new Promise<void>((done, fail) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        // Killed after the fourth trial finished, while the fifth runs.
        if ((stderr.match(/: trial \d+ complete/g) ?? []).length >= 4) done();
      });
      child.on('exit', () => fail(new Error(`the sweep ended before it could be killed:\n${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const before = await withEngine(async (engine) => {
      const shown = await call(engine, 'ml.sweeps.show', { id: 'killed' });
      return { shown, trials: (await call(engine, 'ml.sweeps.trials', { id: 'killed' })).trials };
    });
    expect(before.shown.status).toBe('interrupted');
    const finished = before.trials.filter((t) => t.state !== 'running');
    expect(finished.length).toBeGreaterThanOrEqual(4);
    const interrupted = before.trials.filter((t) => t.state === 'running');

    const { after, resumed } = await withEngine(async (engine) => {
      const resumedSummary = await runJobResult(engine, 'ml.optimize', { resume: 'killed' });
      return { resumed: resumedSummary, after: (await call(engine, 'ml.sweeps.trials', { id: 'killed' })).trials };
    });
    expect(resumed.status).toBe('completed');
    expect(after.map((t) => t.number)).toEqual([...Array(14).keys()]);
    expect(after.every((t) => t.state === 'complete')).toBe(true);
    // Finished trials are untouched: same attempt, values and finish time.
    for (const t of finished) {
      const now = after.find((a) => a.number === t.number)!;
      expect({ attempt: now.attempt, values: now.values, finishedAt: now.finishedAt, params: now.params }).toEqual({
        attempt: t.attempt,
        values: t.values,
        finishedAt: t.finishedAt,
        params: t.params,
      });
    }
    // The interrupted trial ran again, with the parameters it had been given.
    for (const t of interrupted) {
      const now = after.find((a) => a.number === t.number)!;
      expect(now.attempt).toBe(t.attempt + 1);
      expect(now.params).toEqual(t.params);
    }

    // The same sweep never interrupted gives the same trials.
    const straight = await withEngine(async (engine) => {
      const s = await runJobResult(engine, 'ml.optimize', {
        target: 'home_win',
        features: 'default',
        sampler: 'tpe',
        pruner: 'none',
        seed: 9,
        numBoostRound: 40,
        earlyStoppingRounds: 10,
        splits: 2,
        workers: 1,
        trials: 14,
        name: 'straight',
      });
      return (await call(engine, 'ml.sweeps.trials', { id: s.sweepId })).trials;
    });
    expect(after.map((t) => t.params)).toEqual(straight.map((t) => t.params));
    expect(after.map((t) => t.values)).toEqual(straight.map((t) => t.values));
  }, 600_000);
});

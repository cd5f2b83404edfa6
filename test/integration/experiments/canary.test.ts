// Canary ramps (issue 14) on a real demo workspace with real trained models: a replayed canary climbs
// 5 → 10 → 25 …% one checked step at a time, every game routed by the share in force when it was first
// scored (so a game once with the challenger stays there); a live canary of a badly overfit challenger is
// rolled back to 0% by its guardrail check and recorded in the registry's audit trail; and the built CLI killed
// with SIGKILL while scoring mid-ramp leaves the ramp at a completed step, from which the next scoring goes on.
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { Engine } from '../../../src-main/engine/engine';
import { experimentSchema, type Experiment } from '../../../src-main/shared/results/experiments';
import { replayResultSchema } from '../../../src-main/shared/results/operations';
import { tempWorkspace } from '../../support/waitForEvent';
import { call, FAST, openMlEngine, runJobResult } from '../ml/mlWorkspace';
import { demoDay } from '../operations/deploymentFixtures';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');
/** Overfits a small window badly without early stopping (as the retraining tests' weak champion). */
const OVERFIT = { learning_rate: 0.5, num_leaves: 63, min_data_in_leaf: 5, lambda_l2: 0, feature_fraction: 1, bagging_fraction: 1 };
/** No decision on the primary metric while the ramp runs: only the ramp moves the experiment. */
const NO_DECISION = { minSamples: 100_000, maxDays: 366 };

/** Invariants of a ramp at rest: the share in force is its current step's, one rampStep event per completed step. */
function assertRampAtRest(e: Experiment, rampEvents: number): void {
  const r = e.ramp;
  expect(r.status === 'ramping' || r.status === 'completed').toBe(true);
  expect(r.completed.map((c) => c.step)).toEqual(r.completed.map((_c, i) => i));
  expect(r.current).toBe(r.status === 'completed' ? r.steps.length - 1 : r.completed.length);
  expect(e.challengerShare).toBeCloseTo(r.steps[r.current as number] / 100, 12);
  expect(rampEvents).toBe(r.completed.length);
  for (let i = 1; i < r.completed.length; i++) expect(r.completed[i].games).toBeGreaterThan(r.completed[i - 1].games);
}

describe('canary ramps', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
    await call(engine, 'settings.set', { user: 'alice' });
    await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'ctrl', ...FAST });
    // The same recipe on another seed: as good as the control, so its guardrail checks pass.
    await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'twin', ...FAST, seed: 7 });
    await runJobResult(engine, 'ml.train', { train: '2010', name: 'weak', numBoostRound: 60, params: OVERFIT });
    await call(engine, 'registry.register', { model: 'ctrl', as: 'bp' });
    await call(engine, 'deploy.start', { model: 'bp:1', name: 'bp' });
  }, 180_000);
  afterAll(async () => cleanup());

  it('a replayed canary climbs one checked step at a time, and each game keeps the variant of the share it was routed at', async () => {
    const result = replayResultSchema.parse(
      await runJobResult(engine, 'deploy.replay', {
        model: 'ctrl',
        challenger: 'twin',
        canary: true,
        canaryStepGames: 25,
        ...NO_DECISION,
        season: 2012,
        from: '2012-05-01',
        to: '2012-06-15',
      }),
    );
    const [x] = result.experiments;
    const ramp = x.ramp!;
    expect(ramp.steps).toEqual([5, 10, 25, 50, 100]);
    expect(ramp.completed.length).toBeGreaterThanOrEqual(2);
    expect(ramp.completed.map((c) => c.share)).toEqual(ramp.steps.slice(0, ramp.completed.length));
    for (const c of ramp.completed) expect(c.check).toMatch(/paired games at \d+%.*no regression on log loss, ROI, Brier score/);
    // Each step ran at least its 25 paired games before it passed.
    ramp.completed.forEach((c, i) => expect(c.games - (i ? ramp.completed[i - 1].games : 0)).toBeGreaterThanOrEqual(25));

    const status = await call(engine, 'ab.status', { name: x.name, replay: result.replayId });
    const steps = status.events.filter((e) => e.kind === 'rampStep');
    expect(steps.map((e) => e.share)).toEqual(ramp.completed.map((c, i) => (ramp.steps[i + 1] ?? c.share) / 100));
    // A game's variant follows from its bucket and the share in force when it was first scored: challenger iff
    // bucket ≥ 1 − share. Shares only grow, so the same bucket never moves back to control.
    const assigned = await engine.workspace.all<{ bucket: number; share: number; variant: string; d: string }>(
      `SELECT a.bucket, a.share, a.variant, strftime(p.game_date, '%Y-%m-%d') AS d
         FROM experiment_assignments a JOIN experiments e ON e.id = a.experiment_id
         JOIN (SELECT DISTINCT experiment_id, game_id, game_date FROM experiment_predictions) p USING (experiment_id, game_id)
        WHERE e.replay_id = ? ORDER BY d, a.game_id`,
      [result.replayId],
    );
    expect(assigned.length).toBe(x.pairedGames);
    for (const a of assigned) expect(a.variant).toBe(a.bucket >= 1 - a.share ? 'challenger' : 'control');
    const shares = assigned.map((a) => a.share);
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThanOrEqual(shares[i - 1]);
    expect(new Set(shares).size).toBeGreaterThanOrEqual(ramp.completed.length);
    expect(new Set(shares).size).toBeLessThanOrEqual(ramp.completed.length + 1);
  }, 180_000);

  it('a live canary of a much worse challenger is rolled back to 0% by its guardrail check, in the audit trail', async () => {
    const started = experimentSchema.parse(
      await call(engine, 'ab.start', { deployment: 'bp', challenger: 'weak', canary: true, canaryStepGames: 500, ...NO_DECISION }),
    );
    expect(started).toMatchObject({ challengerShare: 0.05, ramp: { current: 0, status: 'ramping' } });
    let e: Experiment = started;
    for (let i = 0; i < 40 && e.status === 'running'; i++) {
      await call(engine, 'deploy.predict', { name: 'bp', date: (await demoDay(engine, 2012, 20 + i)).day });
      e = experimentSchema.parse((await call(engine, 'ab.status', { name: started.name })).experiment);
    }
    expect(e).toMatchObject({ status: 'rolledBack', challengerShare: 0, ramp: { status: 'rolledBack', completed: [] } });
    expect(e.decision).toMatchObject({ outcome: 'circuitBreaker', by: 'guardrail' });
    expect(e.decision!.reason).toMatch(/^Canary rolled back: canary at 5%: .* is significantly worse for the challenger/);
    const audit = (await call(engine, 'registry.audit', {})).entries.filter((a) => a.action === 'experiment');
    expect(audit.map((a) => [a.actor, a.reason])).toEqual([['auto:bp', e.decision!.reason]]);
    // Nothing is routed to it any more: the next day's games all bet control.
    const next = await call(engine, 'deploy.predict', { name: 'bp', date: (await demoDay(engine, 2012, 70)).day });
    expect(next.predictions.every((p) => p.experiment === undefined)).toBe(true);
  }, 180_000);
});

describe('a canary ramp after the CLI is killed with SIGKILL while scoring', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  const withEngine = async <T>(fn: (engine: Engine) => Promise<T>): Promise<T> => {
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      return await fn(engine);
    } finally {
      await engine.close();
    }
  };
  const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--workspace', tmp.path, '--json'], { encoding: 'utf8' });
  const state = () =>
    withEngine(async (engine) => {
      const s = await call(engine, 'ab.status', { name: 'canary' });
      return { e: experimentSchema.parse(s.experiment), rampEvents: s.events.filter((x) => x.kind === 'rampStep').length };
    });

  beforeAll(async () => {
    tmp = await tempWorkspace();
    await withEngine(async (engine) => {
      await buildDemo(engine.workspace, { seed: 5, firstSeason: 2010, lastSeason: 2012, marketInefficiency: false, scoringShift: false });
      await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'ctrl', ...FAST });
      await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'twin', ...FAST, seed: 7 });
      await call(engine, 'registry.register', { model: 'ctrl', as: 'bp' });
      await call(engine, 'deploy.start', { model: 'bp:1', name: 'bp' });
      await call(engine, 'ab.start', {
        deployment: 'bp',
        challenger: 'twin',
        name: 'canary',
        canary: true,
        canaryStepGames: 20,
        ...NO_DECISION,
      });
    });
  }, 180_000);
  afterAll(async () => tmp?.cleanup());

  it('resumes at the last completed step', async () => {
    const days = await withEngine(async (engine) => Promise.all(Array.from({ length: 24 }, (_v, i) => demoDay(engine, 2012, 30 + i))));
    // Score day by day until the ramp is past its first two steps.
    let i = 0;
    for (; i < days.length; i++) {
      const r = cli(['deploy', 'predict', 'bp', '--date', days[i].day]);
      expect(r.status, r.stderr).toBe(0);
      if ((await state()).e.ramp.completed.length >= 2) break;
    }
    const before = await state();
    expect(before.e.ramp.completed.length).toBeGreaterThanOrEqual(2);
    // The next scorings are killed at staggered moments: before, during or after their ramp step's transaction.
    for (const delay of [150, 400, 700, 1000]) {
      i++;
      const child = spawn(process.execPath, [BIN, 'deploy', 'predict', 'bp', '--date', days[i].day, '--workspace', tmp.path, '--json'], {
        stdio: 'ignore',
      });
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const after = await state();
      assertRampAtRest(after.e, after.rampEvents);
      expect(after.e.ramp.completed.length).toBeGreaterThanOrEqual(before.e.ramp.completed.length);
    }
    // Scoring again goes on from the step the ramp is at: it never starts over, and it reaches the next step.
    let now = await state();
    const kept = now.e.ramp.completed;
    const at = kept.length;
    for (i++; i < days.length && now.e.ramp.completed.length === at && now.e.ramp.status === 'ramping'; i++) {
      const r = cli(['deploy', 'predict', 'bp', '--date', days[i].day]);
      expect(r.status, r.stderr).toBe(0);
      now = await state();
      assertRampAtRest(now.e, now.rampEvents);
    }
    expect(now.e.ramp.completed.length).toBe(at + 1);
    expect(now.e.ramp.completed.slice(0, at)).toEqual(kept);
  }, 300_000);
});

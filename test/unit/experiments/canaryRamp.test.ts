// The canary ramp's decision at each look (engine/operations/experiments/canaryRamp): hold until a step has its
// paired games, advance through 5 → 10 → 25 → 50 → 100% one step at a time counting games from the last step,
// complete at the last step, and roll back when the challenger is significantly worse on the always-valid test.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src-workers/compute/stats/rng';
import { rampAction, stepStartGames } from '../../../src-main/engine/operations/experiments/canaryRamp';
import type { ExperimentGame, VariantPrediction } from '../../../src-main/engine/operations/experiments/experimentSample';
import type { Experiment, RampState } from '../../../src-main/shared/results/experiments';
import { experimentWith } from './experimentFixture';

const canary = (options: Record<string, unknown> = {}): Experiment => experimentWith({ canary: true, canaryStepGames: 40, ...options });

const noBet = (p: number): VariantPrediction => ({ p, side: null, stake: 0, priceFirst: 1.9, priceSecond: 1.9 });

/** n settled games; both models see the truth through the same noise, the challenger `worse` further from it. */
function games(n: number, worse: number, seed = 3): ExperimentGame[] {
  const rng = createRng(seed);
  const u = () => rng.nextFloat();
  return Array.from({ length: n }, (_, i) => {
    const truth = 0.35 + 0.3 * u();
    const y = u() < truth ? 1 : 0;
    const c = Math.min(0.95, Math.max(0.05, truth + (u() - 0.5) * 0.04));
    const x = Math.min(0.98, Math.max(0.02, y === 1 ? c - worse : c + worse));
    return { gameId: `g${i}`, date: '2016-04-01', variant: 'control', share: 0.05, outcome: y, control: noBet(c), challenger: noBet(x) };
  });
}

describe('the canary ramp', () => {
  it('holds until the step has its paired games, then advances one step, counting the next step from there', () => {
    const e = canary();
    const hold = rampAction(e, games(39, 0), 't1');
    expect(hold).toEqual({ kind: 'hold', reason: expect.stringMatching(/^step 1 of 5 \(5%\): 39 of 40 paired games/) });
    const step = rampAction(e, games(45, 0), 't2');
    if (step.kind !== 'advance') throw new Error(`expected an advance, got ${JSON.stringify(step)}`);
    expect(step.share).toBe(0.1);
    expect(step.ramp).toMatchObject({ current: 1, status: 'ramping' });
    expect(step.ramp.completed).toEqual([
      { step: 0, share: 5, at: 't2', check: expect.stringContaining('45 paired games at 5%'), games: 45 },
    ]);
    expect(stepStartGames(step.ramp)).toBe(45);
    // The next step needs 40 games more than the 45 already counted.
    const next: Experiment = { ...e, ramp: step.ramp, challengerShare: step.share };
    expect(rampAction(next, games(84, 0), 't3').kind).toBe('hold');
    expect(rampAction(next, games(85, 0), 't3')).toMatchObject({ kind: 'advance', share: 0.25 });
  });

  it('completes at the last step and then does nothing more', () => {
    const e = canary();
    let ramp: RampState = e.ramp;
    const shares: number[] = [];
    for (let k = 1; k <= 5; k++) {
      const a = rampAction({ ...e, ramp }, games(40 * k, 0), `t${k}`);
      if (a.kind !== 'advance') throw new Error(`step ${k}: ${JSON.stringify(a)}`);
      shares.push(a.share);
      ramp = a.ramp;
    }
    expect(shares).toEqual([0.1, 0.25, 0.5, 1, 1]);
    expect(ramp.status).toBe('completed');
    expect(ramp.completed.map((c) => c.share)).toEqual([5, 10, 25, 50, 100]);
    expect(rampAction({ ...e, ramp }, games(400, 0), 't9')).toEqual({ kind: 'none' });
    expect(rampAction(canary({ canary: false }), games(400, 0), 't9')).toEqual({ kind: 'none' });
  });

  it('rolls back on a significant regression of the primary metric or a guardrail, even before the step has its games', () => {
    const bad = rampAction(canary(), games(30, 0.25), 't1');
    expect(bad).toMatchObject({ kind: 'rollback', metric: 'logLoss' });
    if (bad.kind === 'rollback') expect(bad.reason).toMatch(/^canary at 5%: log loss is significantly worse for the challenger/);
    // An overconfident challenger picks the same sides (accuracy, the primary metric, equal on every game) but its
    // Brier score, which the calibration guardrail watches, is worse.
    const overconfident = games(1000, 0).map((g) => {
      const c = g.control!.p;
      return { ...g, challenger: noBet(c >= 0.5 ? Math.min(0.97, c + 0.3) : Math.max(0.03, c - 0.3)) };
    });
    const guard = rampAction(canary({ metric: 'accuracy', guardrails: ['calibration'] }), overconfident, 't1');
    expect(guard).toMatchObject({ kind: 'rollback', metric: 'calibration' });
    // A challenger as good as control is not rolled back however many games.
    expect(rampAction(canary(), games(39, 0), 't1').kind).toBe('hold');
  });
});

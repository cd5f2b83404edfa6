// One look at an experiment (engine/operations/experiments/evaluateExperiment): the order of the decision rules
// (bankroll, guardrails, primary metric), minimum samples, the maximum duration, SRM, and the boundary by day,
// on games drawn with a seeded generator.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src-workers/compute/stats/rng';
import { boundaryTimeline, evaluateExperiment, experimentDay } from '../../../src-main/engine/operations/experiments/evaluateExperiment';
import type { ExperimentGame, VariantPrediction } from '../../../src-main/engine/operations/experiments/experimentSample';
import { experimentWith } from './experimentFixture';

const experiment = experimentWith;

const noBet = (p: number): VariantPrediction => ({ p, side: null, stake: 0, priceFirst: 1.9, priceSecond: 1.9 });

/** `perDay` games a day for `days` days from 2016-04-01; each game's truth, control and challenger probabilities from `draw`. */
function games(
  days: number,
  perDay: number,
  share: number,
  draw: (u: () => number) => { y: number; control: VariantPrediction; challenger: VariantPrediction; variant?: 'control' | 'challenger' },
  seed = 1,
): ExperimentGame[] {
  const rng = createRng(seed);
  const u = () => rng.nextFloat();
  const out: ExperimentGame[] = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(Date.parse('2016-04-01T00:00:00Z') + d * 86_400_000).toISOString().slice(0, 10);
    for (let i = 0; i < perDay; i++) {
      const g = draw(u);
      out.push({
        gameId: `${date}-${i}`,
        date,
        variant: g.variant ?? (u() < share ? 'challenger' : 'control'),
        share,
        outcome: g.y,
        control: g.control,
        challenger: g.challenger,
      });
    }
  }
  return out;
}

describe('evaluateExperiment', () => {
  it('counts experiment days from the first day: after day 1 the clock is on day 2', () => {
    expect(experimentDay('2016-04-01', '2016-04-02')).toBe(1);
    expect(experimentDay('2016-04-01', '2016-04-15')).toBe(14);
  });

  it('makes no decision before the minimum samples, and says no difference at the maximum duration', () => {
    const e = experiment({ minSamples: 500, maxDays: 14 });
    const g = games(5, 10, 0.2, (u) => {
      const y = u() < 0.55 ? 1 : 0;
      return { y, control: noBet(0.55), challenger: noBet(0.56) };
    });
    expect(evaluateExperiment(e, g, '2016-04-06').decision).toMatchObject({ outcome: 'continue', by: 'minSamples', date: null });
    expect(evaluateExperiment(e, g, '2016-04-15').decision).toMatchObject({
      outcome: 'noDifference',
      by: 'maxDuration',
      date: '2016-04-15',
    });
  });

  it('chooses a clearly better challenger by the sequential test, on the paired analysis', () => {
    const e = experiment({ minSamples: 50, maxDays: 30 });
    const g = games(20, 20, 0.2, (u) => {
      const q = 0.05 + 0.9 * u();
      const y = u() < q ? 1 : 0;
      return { y, control: noBet(0.5), challenger: noBet(q) };
    });
    const ev = evaluateExperiment(e, g, '2016-04-21');
    expect(ev.paired?.primary.sequential.significant).toBe(true);
    expect(ev.paired?.primary.effect).toBeGreaterThan(0);
    expect(ev.decision).toMatchObject({ outcome: 'challenger', by: 'sequential', date: '2016-04-21' });
    expect(ev.pairedGames).toBe(400);
    // The routed analysis uses only each variant's own games: fewer, so a wider interval.
    const routedWidth = (ev.routed?.primary.sequential.ci[1] ?? 0) - (ev.routed?.primary.sequential.ci[0] ?? 0);
    const pairedWidth = (ev.paired?.primary.sequential.ci[1] ?? 0) - (ev.paired?.primary.sequential.ci[0] ?? 0);
    expect(routedWidth).toBeGreaterThan(pairedWidth);
  });

  it('trips the circuit breaker on a guardrail that regresses significantly, even when the primary metric is level', () => {
    // Same side of 0.5 for both: identical accuracy; the challenger's 0.95 is badly calibrated (Brier score).
    const e = experiment({ metric: 'accuracy', guardrails: ['calibration'], minSamples: 50 });
    const g = games(10, 40, 0.5, (u) => {
      const y = u() < 0.6 ? 1 : 0;
      return { y, control: noBet(0.6), challenger: noBet(0.95) };
    });
    const ev = evaluateExperiment(e, g, '2016-04-11');
    expect(ev.paired?.primary.effect).toBe(0);
    expect(ev.circuitBreaker).toMatchObject({ tripped: true, regressedGuardrails: ['calibration'] });
    expect(ev.decision).toMatchObject({ outcome: 'circuitBreaker', by: 'guardrail' });
  });

  it("trips the circuit breaker when the challenger's placed bets lose more than the share of the bankroll, before anything else", () => {
    const e = experiment({ bankroll: 10, maxLoss: 0.5, minSamples: 1000 });
    // Every challenger bet is on the first side and every game goes to the second: 1 unit lost per routed game.
    const g = games(2, 5, 0.5, () => ({
      y: 0,
      control: noBet(0.5),
      challenger: { p: 0.7, side: 'first', stake: 1, priceFirst: 1.9, priceSecond: 1.9 },
      variant: 'challenger',
    }));
    const ev = evaluateExperiment(e, g, '2016-04-03');
    expect(ev.circuitBreaker).toMatchObject({ tripped: true, challengerProfit: -10, lossLimit: 5 });
    expect(ev.decision).toMatchObject({ outcome: 'circuitBreaker', by: 'bankroll' });
    expect(ev.variants[1].metrics).toMatchObject({ bets: 10, profit: -10, roi: -1 });
  });

  it('flags a sample-ratio mismatch against the share each game was routed at', () => {
    const e = experiment();
    const fair = games(10, 20, 0.2, () => ({ y: 1, control: noBet(0.6), challenger: noBet(0.6) }));
    expect(evaluateExperiment(e, fair, '2016-04-11').srm?.mismatch).toBe(false);
    const skewed = fair.map((g, i) => ({ ...g, variant: i % 2 === 0 ? ('challenger' as const) : ('control' as const) }));
    const srm = evaluateExperiment(e, skewed, '2016-04-11').srm;
    expect(srm?.mismatch).toBe(true);
    expect(srm?.counts).toEqual([100, 100]);
    expect(srm?.expected[1]).toBeCloseTo(40, 9);
  });

  it('draws the boundary day by day: n grows, and the always-valid interval is wider than the fixed-horizon one', () => {
    const e = experiment();
    const g = games(6, 15, 0.2, (u) => {
      const y = u() < 0.5 ? 1 : 0;
      return { y, control: noBet(0.5 + 0.1 * (u() - 0.5)), challenger: noBet(0.5 + 0.1 * (u() - 0.5)) };
    });
    const points = boundaryTimeline(e, g, '2016-04-06');
    expect(points.map((p) => [p.date, p.day, p.n])).toEqual([
      ['2016-04-01', 1, 15],
      ['2016-04-02', 2, 30],
      ['2016-04-03', 3, 45],
      ['2016-04-04', 4, 60],
      ['2016-04-05', 5, 75],
      ['2016-04-06', 6, 90],
    ]);
    for (const p of points) {
      const seq = (p.sequentialCi[1] as number) - (p.sequentialCi[0] as number);
      const fixed = (p.fixedCi[1] as number) - (p.fixedCi[0] as number);
      expect(seq).toBeGreaterThan(fixed);
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../src-main/shared/errors';
import {
  type BacktestGames,
  americanToDecimal as dec,
  closingValue,
  compareStrategies,
  drawdownSeries,
  kellyFraction,
  longestLosingStreak,
  oddsBucket,
  runBacktest,
} from '../../../src-workers/compute/backtest';

const NaN_ = Number.NaN;

/**
 * Five games on three days, prices from American odds:
 * g0 04-03 −150/+130 home won, model 0.70 (open −140/+120)
 * g1 04-03 +120/−140 home won, model 0.40 (open +110/−130)
 * g2 04-04 +150/−170 away won, model 0.45
 * g3 05-01 −110/−110 away won, model 0.55
 * g4 05-01 even/1.9  no result, model 0.60
 */
const games: BacktestGames = {
  dates: ['2016-04-03', '2016-04-03', '2016-04-04', '2016-05-01', '2016-05-01'],
  homeWin: [1, 1, 0, 0, NaN_],
  pHome: [0.7, 0.4, 0.45, 0.55, 0.6],
  pEloHome: [0.52, 0.5, 0.6, 0.5, 0.5],
  closeHome: [dec(-150), dec(120), dec(150), dec(-110), 2.0],
  closeAway: [dec(130), dec(-140), dec(-170), dec(-110), 1.9],
  openHome: [dec(-140), dec(110), NaN_, NaN_, NaN_],
  openAway: [dec(120), dec(-130), NaN_, NaN_, NaN_],
};
const noBoot = { bootstrap: false } as const;

describe('backtest arithmetic on hand-computed fixtures', () => {
  it('always-home: settles wins at the price, losses at the stake, voids games without a result', () => {
    const r = runBacktest(games, { kind: 'home' }, noBoot);
    const m = r.metrics;
    expect(m.bets).toBe(4);
    expect(m.voids).toBe(1);
    expect(m.wins).toBe(2);
    expect(m.hitRate).toBe(0.5);
    expect(m.profit).toBeCloseTo(2 / 3 + 1.2 - 2, 12);
    expect(m.roi).toBeCloseTo((2 / 3 + 1.2 - 2) / 4, 12);
    expect([...r.daily.equity]).toEqual(
      [100 + 2 / 3 + 1.2, 100 + 2 / 3 + 1.2 - 1, 100 + 2 / 3 + 1.2 - 2].map((x) => expect.closeTo(x, 12)),
    );
    expect(m.maxDrawdown).toBeCloseTo(2 / (100 + 2 / 3 + 1.2), 12);
    expect(m.longestLosingStreak).toBe(2);
    expect(m.finalBankroll).toBeCloseTo(100 + m.profit, 12);
    expect(m.clv).toBeNull();
    expect(m.roiCi).toBeNull();
  });

  it('Sharpe and Sortino are annualized daily statistics; flat-stake returns are on the initial bankroll', () => {
    const r = runBacktest(games, { kind: 'home' }, noBoot);
    const ret = [(2 / 3 + 1.2) / 100, -1 / 100, -1 / 100];
    const mean = (ret[0] + ret[1] + ret[2]) / 3;
    const sd = Math.sqrt(ret.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    const down = Math.sqrt((ret[1] ** 2 + ret[2] ** 2) / 3);
    expect(r.metrics.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(183), 10);
    expect(r.metrics.sortino).toBeCloseTo((mean / down) * Math.sqrt(183), 10);
    expect(r.metrics.sharpeDaily).toBeCloseTo(mean / sd, 12);
  });

  it('favourite and underdog baselines pick by price (a pick’em goes home for favourite, away for underdog)', () => {
    const fav = runBacktest(games, { kind: 'favorite' }, noBoot).metrics;
    expect(fav.profit).toBeCloseTo(2 / 3 - 1 + 100 / 170 - 1, 12);
    const dog = runBacktest(games, { kind: 'underdog' }, noBoot).metrics;
    expect(dog.profit).toBeCloseTo(-1 + 1.2 - 1 + 100 / 110, 12);
  });

  it('flat bets the model’s side and edge bets only sides with p − 1/decimal ≥ edge', () => {
    const flat = runBacktest(games, { kind: 'flat' }, noBoot).metrics;
    expect(flat.bets).toBe(4);
    expect(flat.profit).toBeCloseTo(2 / 3 - 1 + 100 / 170 - 1, 12);
    const edge = runBacktest(games, { kind: 'edge', edge: 0.02 }, noBoot);
    // g1's away edge is 0.6 − 1/1.714 = 0.0167 < 0.02: no bet. g0, g2, g3 bet home.
    expect([...edge.ledger.game]).toEqual([0, 2, 3]);
    expect(edge.metrics.profit).toBeCloseTo(2 / 3 - 2, 12);
    const loose = runBacktest(games, { kind: 'edge', edge: 0.01 }, noBoot);
    expect([...loose.ledger.game]).toEqual([0, 1, 2, 3]);
    expect(loose.ledger.side[1]).toBe(1);
  });

  it('Elo edge reads the Elo probability column', () => {
    const elo = runBacktest(games, { kind: 'elo', edge: 0.02 }, noBoot);
    // g0: home 0.52 − 0.6 < 0, away 0.48 − 0.4348 = 0.045 → away; g1: 0.5 − 0.4545 → home; g2: 0.6 − 0.4 → home; g3: none.
    expect([...elo.ledger.game]).toEqual([0, 1, 2]);
    expect([...elo.ledger.side]).toEqual([1, 0, 0]);
  });

  it('fractional Kelly sizes (p·d − 1)/(d − 1) × fraction of the day-start bankroll, capped at maxStake', () => {
    expect(kellyFraction(0.7, 5 / 3)).toBeCloseTo(0.25, 12);
    const r = runBacktest(games, { kind: 'kelly', fraction: 0.25, maxStake: 0.05 }, noBoot);
    const s = r.ledger.stake;
    expect(s[0]).toBeCloseTo(5, 12); // 0.25 × 0.25 = 0.0625 capped at 0.05 × 100
    expect(s[1]).toBeCloseTo(100 * 0.25 * 0.04, 10); // away: (0.6 × 1.7143 − 1)/0.7143 = 0.04
    const b1 = 100 + 5 * (2 / 3) - 1;
    expect(s[2]).toBeCloseTo(b1 * 0.25 * (0.125 / 1.5), 10);
    const b2 = b1 - s[2];
    expect(s[3]).toBeCloseTo(b2 * 0.25 * 0.055, 10);
    expect(r.metrics.finalBankroll).toBeCloseTo(b2 - s[3], 10);
    // Kelly compounds: each day's return is on that day's starting bankroll.
    expect([...r.daily.returns].map((x) => +x.toFixed(12))).toEqual([(b1 - 100) / 100, -s[2] / b1, -s[3] / b2].map((x) => +x.toFixed(12)));
  });

  it('closing-line value when betting at open is the bet’s expected return at the vig-free close', () => {
    const r = runBacktest(games, { kind: 'home' }, { price: 'open', bootstrap: false });
    expect(r.metrics.bets).toBe(2);
    expect(r.metrics.unpriced).toBe(3);
    const fair0 = 0.6 / (0.6 + 1 / 2.3);
    const fair1 = 1 / 2.2 / (1 / 2.2 + 1 / dec(-140));
    expect(r.ledger.clv[0]).toBeCloseTo(fair0 * dec(-140) - 1, 12);
    expect(r.metrics.clv).toBeCloseTo((fair0 * dec(-140) - 1 + fair1 * 2.1 - 1) / 2, 12);
    expect(closingValue(2.1, 0, NaN_, 1.9)).toBeNaN();
  });

  it('breaks results down by season, month, side, favourite/underdog and odds bucket', () => {
    const b = runBacktest(games, { kind: 'home' }, noBoot).breakdowns;
    expect(b.season.map((r) => [r.key, r.bets])).toEqual([['2016', 4]]);
    expect(b.month.map((r) => [r.key, r.bets, r.wins])).toEqual([
      ['04', 3, 2],
      ['05', 1, 0],
    ]);
    expect(b.side.map((r) => r.key)).toEqual(['home']);
    expect(b.role.map((r) => [r.key, r.bets])).toEqual([
      ['favorite', 1],
      ['underdog', 2],
      ['pickem', 1],
    ]);
    expect(b.oddsBucket.map((r) => r.key)).toEqual(['1.50-1.80', '1.80-2.00', '2.20-2.50', '2.50-3.00']);
    const under = b.role[1];
    expect(under.profit).toBeCloseTo(0.2, 12);
    expect(under.roi).toBeCloseTo(0.1, 12);
  });

  it('attaches a bootstrap interval and p-value of ROI > 0', () => {
    const m = runBacktest(games, { kind: 'home' }, { bootstrap: { seed: 4, resamples: 500 } }).metrics;
    expect(m.roiCi![0]).toBeLessThanOrEqual(m.roi);
    expect(m.roiCi![1]).toBeGreaterThanOrEqual(m.roi);
    expect(m.roiPValue).toBeGreaterThan(0);
  });

  it('refuses missing columns, mismatched lengths and bad strategies with input errors', () => {
    const { pHome: _p, ...noModel } = games;
    expect(() => runBacktest(noModel, { kind: 'edge' })).toThrow(/needs the pHome column/);
    expect(() => runBacktest({ ...games, closeAway: [2] }, { kind: 'home' })).toThrow(/closeAway has 1 values/);
    expect(() => runBacktest(games, { kind: 'kelly', fraction: 2 })).toThrow(BullpenError);
    const { openHome: _o, ...noOpen } = games;
    expect(() => runBacktest(noOpen, { kind: 'home' }, { price: 'open' })).toThrow(/openHome/);
  });
});

describe('equity helpers', () => {
  it('drawdown is the fall from the running peak as a fraction of the peak', () => {
    const d = drawdownSeries([110, 99, 120, 90, 130], 100);
    expect([...d.drawdown].map((x) => +x.toFixed(12))).toEqual([0, 0.1, 0, 0.25, 0]);
    expect(d.maxDrawdown).toBeCloseTo(0.25, 12);
    expect(drawdownSeries([95], 100).maxDrawdown).toBeCloseTo(0.05, 12);
  });

  it('drawdown in units is the largest peak-to-trough fall, and stays meaningful when flat stakes lose more than the bankroll', () => {
    expect(drawdownSeries([110, 99, 120, 90, 130], 100).maxDrawdownUnits).toBeCloseTo(30, 12);
    const gone = drawdownSeries([104, 60, -8, 2], 100);
    expect(gone.maxDrawdown).toBeGreaterThan(1);
    expect(gone.maxDrawdownUnits).toBeCloseTo(112, 12);
  });

  it('a flat-stake backtest reports its max drawdown in units as well as a share of the peak', () => {
    // Three lost 1-unit bets on a 2-unit bankroll: 3 units lost from the peak, 150% of it.
    const r = runBacktest(
      { dates: ['2016-04-01', '2016-04-02', '2016-04-03'], homeWin: [0, 0, 0], closeHome: [1.9, 1.9, 1.9], closeAway: [1.9, 1.9, 1.9] },
      { kind: 'home' },
      { initialBankroll: 2, bootstrap: false },
    );
    expect(r.metrics.maxDrawdownUnits).toBeCloseTo(3, 12);
    expect(r.metrics.maxDrawdown).toBeCloseTo(1.5, 12);
  });

  it('the longest losing streak counts consecutive losses', () => {
    expect(longestLosingStreak([1, 0, 0, 1, 0, 0, 0, 1])).toBe(3);
    expect(longestLosingStreak([])).toBe(0);
  });

  it('odds buckets cover the price range', () => {
    expect(oddsBucket(1.3)).toBe('<1.50');
    expect(oddsBucket(2.0)).toBe('2.00-2.20');
    expect(oddsBucket(4)).toBe('>=3.00');
  });
});

/** Random seasons of games with model probabilities near the fair line and prices with ~2% overround. */
const gamesArb = fc
  .array(
    fc.record({
      day: fc.integer({ min: 0, max: 60 }),
      fair: fc.double({ min: 0.25, max: 0.75, noNaN: true }),
      noise: fc.double({ min: -0.08, max: 0.08, noNaN: true }),
      won: fc.constantFrom(0, 1),
    }),
    { minLength: 1, maxLength: 150 },
  )
  .map((rows) => {
    const base = 16_900; // 2016-04-09
    return {
      dates: rows.map((r) => base + r.day),
      homeWin: rows.map((r) => r.won),
      pHome: rows.map((r) => Math.min(0.95, Math.max(0.05, r.fair + r.noise))),
      closeHome: rows.map((r) => 1 / (r.fair * 1.02)),
      closeAway: rows.map((r) => 1 / ((1 - r.fair) * 1.02)),
    } satisfies BacktestGames;
  });

const strategyArb = fc.constantFrom(
  { kind: 'flat' } as const,
  { kind: 'edge', edge: 0.01 } as const,
  { kind: 'kelly', fraction: 0.5, maxStake: 0.1 } as const,
  { kind: 'home' } as const,
  { kind: 'favorite' } as const,
  { kind: 'underdog' } as const,
);

describe('backtest properties (fast-check)', () => {
  it('the ledger, daily series and metrics agree: profit sums, equity ends at the final bankroll', () => {
    fc.assert(
      fc.property(gamesArb, strategyArb, (g, s) => {
        const r = runBacktest(g, s, noBoot);
        const m = r.metrics;
        expect(r.ledger.profit.reduce((a, b) => a + b, 0)).toBeCloseTo(m.profit, 9);
        expect(r.daily.profit.reduce((a, b) => a + b, 0)).toBeCloseTo(m.profit, 9);
        expect(m.finalBankroll).toBeCloseTo(100 + m.profit, 9);
        if (r.daily.equity.length) expect(r.daily.equity[r.daily.equity.length - 1]).toBeCloseTo(m.finalBankroll, 9);
        expect(m.wins).toBeLessThanOrEqual(m.bets);
        expect(m.maxDrawdown).toBeGreaterThanOrEqual(0);
        for (let i = 1; i < r.ledger.day.length; i++) expect(r.ledger.day[i]).toBeGreaterThanOrEqual(r.ledger.day[i - 1]);
      }),
      { numRuns: 200, seed: 31 },
    );
  });

  it('Kelly never stakes more than maxStake of the day-start bankroll and never goes broke', () => {
    fc.assert(
      fc.property(gamesArb, (g) => {
        const r = runBacktest(g, { kind: 'kelly', fraction: 1, maxStake: 0.2 }, noBoot);
        let k = 0;
        for (let d = 0; d < r.daily.day.length; d++) {
          const start = d === 0 ? 100 : r.daily.equity[d - 1];
          for (; k < r.ledger.day.length && r.ledger.day[k] === r.daily.day[d]; k++)
            expect(r.ledger.stake[k]).toBeLessThanOrEqual(0.2 * start + 1e-9);
        }
        expect(r.metrics.finalBankroll).toBeGreaterThan(0);
        expect(r.metrics.maxDrawdown).toBeLessThan(1);
      }),
      { numRuns: 200, seed: 32 },
    );
  });

  it('is deterministic, bootstrap included, and does not depend on the order rows arrive in', () => {
    fc.assert(
      fc.property(gamesArb, strategyArb, (g, s) => {
        const a = runBacktest(g, s, { bootstrap: { seed: 9, resamples: 200 } });
        const b = runBacktest(g, s, { bootstrap: { seed: 9, resamples: 200 } });
        expect(b).toEqual(a);
        const rev = <T>(x: ArrayLike<T>) => Array.from(x).reverse();
        const c = runBacktest(
          { dates: rev(g.dates), homeWin: rev(g.homeWin), pHome: rev(g.pHome), closeHome: rev(g.closeHome), closeAway: rev(g.closeAway) },
          s,
          noBoot,
        );
        expect(c.metrics.bets).toBe(a.metrics.bets);
        expect(c.metrics.profit).toBeCloseTo(a.metrics.profit, 9);
        if (Number.isNaN(a.metrics.sharpe))
          expect(c.metrics.sharpe).toBeNaN(); // one day: no spread
        else expect(c.metrics.sharpe).toBeCloseTo(a.metrics.sharpe, 9);
      }),
      { numRuns: 100, seed: 33 },
    );
  });
});

describe('compareStrategies', () => {
  it('runs ML and rule-based strategies on the same games and reports selection honesty', () => {
    const n = 2000;
    const dates: number[] = [];
    const homeWin: number[] = [];
    const pHome: number[] = [];
    const closeHome: number[] = [];
    const closeAway: number[] = [];
    for (let i = 0; i < n; i++) {
      const fair = 0.35 + ((i * 37) % 31) / 100;
      dates.push(16_900 + Math.floor(i / 15));
      homeWin.push((i * 7919) % 100 < fair * 100 ? 1 : 0);
      pHome.push(fair + (((i * 13) % 9) - 4) / 100);
      closeHome.push(1 / (fair * 1.02));
      closeAway.push(1 / ((1 - fair) * 1.02));
    }
    const c = compareStrategies(
      { dates, homeWin, pHome, closeHome, closeAway },
      [{ kind: 'edge' }, { kind: 'home' }, { kind: 'favorite' }, { kind: 'underdog' }],
      { bootstrap: false },
    );
    expect(c.results).toHaveLength(4);
    expect(c.results.every((r) => r.daily.day.length === c.results[0].daily.day.length)).toBe(true);
    expect(c.deflatedSharpe!.best).toBe(c.best);
    expect(c.pbo!.combinations).toBe(12_870);
    expect(c.pbo!.pbo).toBeGreaterThanOrEqual(0);
    expect(c.pbo!.pbo).toBeLessThanOrEqual(1);
    expect(compareStrategies({ dates, homeWin, pHome, closeHome, closeAway }, [{ kind: 'home' }], { bootstrap: false }).pbo).toBeNull();
  });
});

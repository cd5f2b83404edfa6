import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../src-main/shared/errors';
import {
  bootstrap,
  bootstrapRoi,
  createRng,
  deflatedSharpeOfBest,
  deflatedSharpeRatio,
  expectedMaxSharpe,
  moments,
  normalCdf,
  normalQuantile,
  probabilisticSharpeRatio,
  probabilityOfBacktestOverfitting,
  quantileSorted,
  sharpeRatio,
  sortinoRatio,
} from '../../../src-workers/compute/stats';

/** Standard normal draws from the seeded generator (Box–Muller), for synthetic return series. */
function normals(seed: number, n: number, mean = 0, sd = 1): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = 1 - rng.nextFloat();
    const v = rng.nextFloat();
    out[i] = mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return out;
}

describe('normal distribution', () => {
  it('matches tabulated values of Φ and Φ⁻¹', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7); // simple-statistics erf is good to about 1.2e-7
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 5);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326347874, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 4);
    expect(normalQuantile(0)).toBe(-Infinity);
  });

  it('quantile inverts the CDF across the range', () => {
    for (let p = 0.001; p < 1; p += 0.0137) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
  });
});

describe('moments and Sharpe statistics on hand-computed fixtures', () => {
  it('gives mean, sample sd, skewness and non-excess kurtosis', () => {
    const m = moments([1, 2, 3, 4]);
    expect(m.mean).toBe(2.5);
    expect(m.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(m.skewness).toBeCloseTo(0, 12);
    expect(m.kurtosis).toBeCloseTo(1.64, 12);
  });

  it('Sharpe is mean over sample sd and Sortino is mean over downside deviation', () => {
    const r = [0.1, -0.1, 0.2, 0];
    expect(sharpeRatio(r)).toBeCloseTo(0.05 / Math.sqrt(0.05 / 3), 12);
    expect(sortinoRatio(r)).toBeCloseTo(0.05 / Math.sqrt(0.01 / 4), 12);
    expect(sharpeRatio([0.01])).toBeNaN();
    expect(sharpeRatio([0, 0, 0])).toBe(0);
  });
});

describe('deflated Sharpe ratio', () => {
  it('reproduces the numerical example of Bailey & López de Prado (2014): SR0 ≈ 0.1132, DSR ≈ 0.90', () => {
    const r = deflatedSharpeRatio({
      sharpe: 2.5 / Math.sqrt(250),
      observations: 1250,
      skewness: -3,
      kurtosis: 10,
      trials: 100,
      sharpeVariance: 0.5 / 250,
    });
    expect(r.expectedMaxSharpe).toBeCloseTo(0.1132, 4);
    expect(r.deflatedSharpe).toBeCloseTo(0.9004, 2);
    expect(r.probabilisticSharpe).toBeGreaterThan(r.deflatedSharpe);
  });

  it('PSR of SR 0.1 over 101 normal observations is Φ(1/√1.005)', () => {
    expect(probabilisticSharpeRatio(0.1, 0, 101, 0, 3)).toBeCloseTo(normalCdf(1 / Math.sqrt(1.005)), 9);
  });

  it('one trial needs no deflation, more trials raise the bar', () => {
    expect(expectedMaxSharpe(1, 0.01)).toBe(0);
    expect(expectedMaxSharpe(10, 0.01)).toBeLessThan(expectedMaxSharpe(1000, 0.01));
    expect(() => expectedMaxSharpe(0, 0.01)).toThrow(BullpenError);
  });

  it('picks the best of several series and deflates it below its plain PSR', () => {
    const series = [0, 1, 2, 3, 4].map((s) => normals(100 + s, 500, 0.0, 0.01));
    const r = deflatedSharpeOfBest(series);
    const sharpes = series.map((x) => sharpeRatio(x));
    expect(r.best).toBe(sharpes.indexOf(Math.max(...sharpes)));
    expect(r.deflatedSharpe).toBeLessThan(r.probabilisticSharpe);
  });
});

describe('probability of backtest overfitting (CSCV)', () => {
  it('is 1 on the two-partition fixture where the in-sample winner always loses out of sample', () => {
    const r = probabilityOfBacktestOverfitting(
      [
        [1, 1, -1, -1],
        [0, 0, 0, 0],
      ],
      { partitions: 2, metric: 'mean' },
    );
    expect(r.combinations).toBe(2);
    expect(r.pbo).toBe(1);
    expect(r.logits[0]).toBeCloseTo(Math.log(0.5), 12);
  });

  it('is 0 when one strategy dominates in every period, and uses C(16,8) splits', () => {
    const noise = [1, 2, 3, 4, 5].map((s) => normals(s, 320));
    const dominant = normals(99, 320, 3, 0.5);
    const r = probabilityOfBacktestOverfitting([...noise, dominant]);
    expect(r.combinations).toBe(12_870);
    expect(r.pbo).toBe(0);
    expect(r.probabilityOfLoss).toBe(0);
  });

  it('is near one half for strategies that are all noise', () => {
    const r = probabilityOfBacktestOverfitting([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => normals(200 + s, 480)));
    expect(r.pbo).toBeGreaterThan(0.25);
    expect(r.pbo).toBeLessThan(0.75);
  });

  it('refuses too few trials, periods or unequal series', () => {
    expect(() => probabilityOfBacktestOverfitting([[1, 2, 3]])).toThrow(BullpenError);
    expect(() => probabilityOfBacktestOverfitting([normals(1, 20), normals(2, 20)])).toThrow(/at least 32 periods/);
    expect(() => probabilityOfBacktestOverfitting([normals(1, 40), normals(2, 41)])).toThrow(/same periods/);
    expect(() => probabilityOfBacktestOverfitting([normals(1, 40), normals(2, 40)], { partitions: 3 })).toThrow(BullpenError);
  });
});

describe('seeded bootstrap', () => {
  const profit = Float64Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 1.2 : -0.55));
  const stake = new Float64Array(400).fill(1);

  it('is deterministic for a seed and changes with the seed', () => {
    const a = bootstrapRoi(profit, stake, { seed: 7, resamples: 500 });
    const b = bootstrapRoi(profit, stake, { seed: 7, resamples: 500 });
    const c = bootstrapRoi(profit, stake, { seed: 8, resamples: 500 });
    expect(b).toEqual(a);
    expect(c.roiCi).not.toEqual(a.roiCi);
  });

  it('brackets the estimate with a percentile interval', () => {
    const r = bootstrapRoi(profit, stake, { seed: 1 });
    const roi = (134 * 1.2 - 266 * 0.55) / 400;
    expect(r.roi).toBeCloseTo(roi, 12);
    expect(r.roiCi[0]).toBeLessThan(roi);
    expect(r.roiCi[1]).toBeGreaterThan(roi);
  });

  it('gives a small p-value for a clear edge and a large one for a clear loss', () => {
    const winning = Float64Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? 1.5 : -1));
    const losing = Float64Array.from(winning, (x) => -x - 0.2);
    const ones = new Float64Array(300).fill(1);
    expect(bootstrapRoi(winning, ones, { seed: 3 }).roiPValue).toBeLessThan(0.01);
    expect(bootstrapRoi(losing, ones, { seed: 3 }).roiPValue).toBeGreaterThan(0.99);
  });

  it('supports circular blocks for serially correlated series', () => {
    const x = normals(5, 200, 0.1, 1);
    const mean = (ix: Int32Array) => ix.reduce((s, i) => s + x[i], 0) / ix.length;
    const iid = bootstrap(200, mean, { seed: 2, resamples: 500 });
    const blocks = bootstrap(200, mean, { seed: 2, resamples: 500, blockLength: 10 });
    expect(blocks.estimate).toBe(iid.estimate);
    expect(blocks.distribution).toHaveLength(500);
  });

  it('interpolates quantiles like R type 7', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
  });
});

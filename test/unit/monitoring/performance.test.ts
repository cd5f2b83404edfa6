import { describe, expect, it } from 'vitest';
import { accuracy, brier, logLoss } from '../../../src-workers/compute/metrics';
import {
  applyPlatt,
  cbpe,
  estimatedPerformance,
  fitPlatt,
  performanceDrift,
  performanceDriftMonitor,
  performanceReference,
  type PerformanceSample,
} from '../../../src-workers/compute/monitoring';
import { createRng } from '../../../src-workers/compute/stats';
import { betsOn, calibratedGames } from './synthetic';

function season(seed: number, n: number): PerformanceSample {
  const { p, y } = calibratedGames(seed, n);
  return { p, y, ...betsOn(p, y) };
}

/** A window where the relation between features and outcome broke: outcomes from the true probabilities, confident predictions unrelated to them. */
function brokenWindow(seed: number, n: number): PerformanceSample {
  const truth = calibratedGames(seed, n);
  const model = calibratedGames(seed + 7919, n, 1.2);
  return { p: model.p, y: truth.y, ...betsOn(model.p, truth.y) };
}

/** Same-distribution windows checked against one reference; the share that alert is the false-alarm rate. */
function falseAlarmRate(windows: number, gamesPerWindow: number): { any: number; byMetric: Record<string, number> } {
  const ref = performanceReference(season(1, 2430));
  let any = 0;
  const byMetric: Record<string, number> = { logLoss: 0, accuracy: 0, brier: 0, roi: 0 };
  for (let s = 0; s < windows; s++) {
    const r = performanceDrift(ref, season(1000 + s, gamesPerWindow));
    if (r.status === 'alert') any++;
    for (const m of r.metrics) if (m.status === 'alert') byMetric[m.subject]++;
  }
  return { any: any / windows, byMetric: Object.fromEntries(Object.entries(byMetric).map(([k, v]) => [k, v / windows])) };
}

describe('performance drift', () => {
  it('reports realized metrics equal to the metrics module, with relative drops signed so positive is worse', () => {
    const ref = season(1, 2430);
    const cur = season(2, 450);
    const r = performanceDrift(ref, cur);
    const by = Object.fromEntries(r.metrics.map((m) => [m.subject, m]));
    expect(by.logLoss.reference).toBeCloseTo(logLoss(ref.y, ref.p), 12);
    expect(by.logLoss.current).toBeCloseTo(logLoss(cur.y, cur.p), 12);
    expect(by.accuracy.current).toBeCloseTo(accuracy(cur.y, cur.p), 12);
    expect(by.brier.current).toBeCloseTo(brier(cur.y, cur.p), 12);
    expect(by.logLoss.relativeDrop).toBeCloseTo(
      ((by.logLoss.current as number) - (by.logLoss.reference as number)) / (by.logLoss.reference as number),
      12,
    );
    expect(by.accuracy.relativeDrop).toBeCloseTo(
      ((by.accuracy.reference as number) - (by.accuracy.current as number)) / (by.accuracy.reference as number),
      12,
    );
    // ROI's drop is on the gross return per unit staked.
    expect(by.roi.relativeDrop).toBeCloseTo(
      ((by.roi.reference as number) - (by.roi.current as number)) / (1 + (by.roi.reference as number)),
      12,
    );
    for (const m of r.metrics) {
      expect(m.degradationCi).not.toBeNull();
      const [lo, hi] = m.degradationCi as [number, number];
      expect(lo).toBeLessThanOrEqual(m.degradation as number);
      expect(hi).toBeGreaterThanOrEqual(m.degradation as number);
    }
    expect(r.confidence).toBe(0.95);
  });

  it('detects a planted drop in a 7-day window (about 100 games) and says it is beyond noise', () => {
    const ref = performanceReference(season(1, 2430));
    const { p, y } = calibratedGames(3, 100);
    const wrong = p.map((q) => 1 - q);
    const r = performanceDrift(ref, { p: wrong, y, ...betsOn(wrong, y) });
    expect(r.status).toBe('alert');
    const by = Object.fromEntries(r.metrics.map((m) => [m.subject, m]));
    for (const m of ['logLoss', 'accuracy', 'roi'] as const) {
      expect(by[m].status).toBe('alert');
      expect(by[m].distinguishable).toBe(true);
      expect(by[m].relativeDrop).toBeGreaterThan(0.1);
    }
    expect(by.accuracy.explanation).toMatch(/relative drop [\d.]+% > 10%, 95% interval of the degradation \[[\d.]+, [\d.]+\]: a real drop/);
  });

  it('detects a broken feature–outcome relation over a 30-day window', () => {
    const r = performanceDrift(performanceReference(season(1, 2430)), brokenWindow(4, 450));
    const by = Object.fromEntries(r.metrics.map((m) => [m.subject, m]));
    expect(r.status).toBe('alert');
    expect(by.logLoss.status).toBe('alert');
    expect(by.brier.status).toBe('alert');
    expect(by.accuracy.relativeDrop).toBeGreaterThan(0);
  });

  it('a large drop the interval cannot tell from noise warns instead of alerting', () => {
    // 20 games: a 10% drop in accuracy is well inside the noise.
    const ref = performanceReference(season(1, 2430));
    let warned = 0;
    for (let s = 0; s < 40; s++) {
      const r = performanceDrift(ref, season(500 + s, 20), {});
      const acc = r.metrics.find((m) => m.subject === 'accuracy');
      if (acc?.status === 'warn') {
        warned++;
        expect(acc.distinguishable).toBe(false);
        expect(acc.relativeDrop).toBeGreaterThan(0.1);
      }
    }
    expect(warned).toBeGreaterThan(0);
  });

  it('rarely alerts on same-distribution 7-day windows (false-alarm rate over 300 seeds)', () => {
    const rate = falseAlarmRate(300, 100);
    // Each metric's rule is a one-sided 2.5% test plus a 10% floor; accuracy and ROI move together.
    expect(rate.any).toBeLessThanOrEqual(0.05);
    for (const r of Object.values(rate.byMetric)) expect(r).toBeLessThanOrEqual(0.04);
  });

  it('is deterministic for a seed, and a prepared reference matches the raw one', () => {
    const ref = season(1, 800);
    const cur = season(5, 100);
    const a = performanceDrift(ref, cur, { seed: 7, resamples: 500 });
    expect(performanceDrift(ref, cur, { seed: 7, resamples: 500 })).toEqual(a);
    expect(performanceDrift(performanceReference(ref, { seed: 7, resamples: 500 }), cur)).toEqual(a);
    expect(performanceDriftMonitor({ seed: 7, resamples: 500 }).check(ref, cur)).toEqual(a);
    const b = performanceDrift(ref, cur, { seed: 8, resamples: 500 });
    expect(b.metrics[0].degradationCi).not.toEqual(a.metrics[0].degradationCi);
  });

  it('an empty window or one without bets is unknown where it cannot compare', () => {
    const ref = performanceReference(season(1, 500), { resamples: 200 });
    const empty = performanceDrift(ref, { y: [], p: [] });
    expect(empty.status).toBe('unknown');
    expect(empty.metrics.every((m) => m.status === 'unknown')).toBe(true);
    const { p, y } = calibratedGames(9, 50);
    const noBets = performanceDrift(ref, { p, y });
    expect(noBets.metrics.find((m) => m.subject === 'roi')?.status).toBe('unknown');
    expect(noBets.metrics.find((m) => m.subject === 'logLoss')?.status).not.toBe('unknown');
  });

  it('refuses half of the ROI inputs and mismatched lengths, naming the problem', () => {
    const { p, y } = calibratedGames(9, 10);
    expect(() => performanceDrift({ p, y, stake: new Float64Array(10) }, { p, y })).toThrow(/needs both stake and profit/);
    expect(() => performanceDrift({ p, y }, { p, y, stake: new Float64Array(9), profit: new Float64Array(9) })).toThrow(
      /10 games but 9 stakes/,
    );
    expect(() => performanceDrift({ p, y }, { p, y: [1, 0] })).toThrow(/2 labels but 10 probabilities/);
  });
});

describe('confidence-based performance estimation (CBPE)', () => {
  it('expected accuracy is mean max(p, 1 − p) and expected log loss the mean binary entropy', () => {
    const p = [0.7, 0.2, 0.5, Number.NaN];
    const e = cbpe(p);
    expect(e.n).toBe(3);
    expect(e.missing).toBe(1);
    expect(e.expectedAccuracy).toBeCloseTo((0.7 + 0.8 + 0.5) / 3, 12);
    const h = (q: number) => -q * Math.log(q) - (1 - q) * Math.log(1 - q);
    expect(e.expectedLogLoss).toBeCloseTo((h(0.7) + h(0.2) + h(0.5)) / 3, 12);
    const accVar = 0.7 * 0.3 + 0.8 * 0.2 + 0.5 * 0.5;
    expect(e.accuracySe).toBeCloseTo(Math.sqrt(accVar) / 3, 12);
    expect(e.accuracyInterval?.[1]).toBeCloseTo((e.expectedAccuracy as number) + 1.959964 * (e.accuracySe as number), 5);
    expect(cbpe([]).expectedAccuracy).toBeNull();
  });

  it('on calibrated data the realized value lands in the 95% interval about 95% of the time', () => {
    let accIn = 0;
    let llIn = 0;
    const runs = 400;
    for (let s = 0; s < runs; s++) {
      const { p, y } = calibratedGames(2000 + s, 100);
      const e = cbpe(p);
      const acc = accuracy(y, p);
      const ll = logLoss(y, p);
      const [alo, ahi] = e.accuracyInterval as [number, number];
      const [llo, lhi] = e.logLossInterval as [number, number];
      if (acc >= alo && acc <= ahi) accIn++;
      if (ll >= llo && ll <= lhi) llIn++;
    }
    expect(accIn / runs).toBeGreaterThanOrEqual(0.9);
    expect(accIn / runs).toBeLessThanOrEqual(0.99);
    expect(llIn / runs).toBeGreaterThanOrEqual(0.9);
    expect(llIn / runs).toBeLessThanOrEqual(0.99);
  });

  it('Platt scaling on the reference recovers an overconfident model, and the calibrated estimate covers again', () => {
    // The model's logits are twice the truth's: overconfident.
    const overconfident = (p: Float64Array) => p.map((q) => 1 / (1 + ((1 - q) / q) ** 2));
    const ref = calibratedGames(1, 2430);
    const cal = fitPlatt(ref.y, overconfident(ref.p));
    expect(cal.a).toBeGreaterThan(0.4);
    expect(cal.a).toBeLessThan(0.6);
    expect(Math.abs(cal.b)).toBeLessThan(0.1);
    expect(applyPlatt({ a: 1, b: 0 }, 0.3)).toBeCloseTo(0.3, 12);
    let rawIn = 0;
    let calIn = 0;
    const runs = 200;
    for (let s = 0; s < runs; s++) {
      const { p, y } = calibratedGames(3000 + s, 100);
      const model = overconfident(p);
      const realized = logLoss(y, model);
      const raw = cbpe(model).logLossInterval as [number, number];
      const calibrated = cbpe(model, { calibration: cal }).logLossInterval as [number, number];
      if (realized >= raw[0] && realized <= raw[1]) rawIn++;
      if (realized >= calibrated[0] && realized <= calibrated[1]) calIn++;
    }
    expect(calIn / runs).toBeGreaterThanOrEqual(0.88);
    expect(rawIn / runs).toBeLessThan(calIn / runs);
  });

  it('the estimated-performance monitor is quiet on the same model and alerts when the model loses its confidence', () => {
    const ref = season(1, 2430);
    expect(estimatedPerformance(ref, calibratedGames(2, 450).p).status).toBe('ok');
    const rng = createRng(3);
    const unsure = Float64Array.from({ length: 450 }, () => 0.5 + 0.02 * (rng.nextFloat() - 0.5));
    const r = estimatedPerformance(ref, unsure);
    const acc = r.metrics.find((m) => m.subject === 'accuracy');
    expect(acc?.status).toBe('alert');
    expect(acc?.distinguishable).toBe(true);
    expect(acc?.explanation).toMatch(/assumes calibrated probabilities/);
    const withPlatt = estimatedPerformance(ref, calibratedGames(2, 450).p, { calibration: 'platt' });
    expect(withPlatt.calibration).not.toBeNull();
    expect(withPlatt.estimate.calibrated).toBe(true);
  });
});

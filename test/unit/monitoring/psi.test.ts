import { describe, expect, it } from 'vitest';
import { categoricalPsi, jensenShannon, numericBins, psi, PSI_EPSILON, wasserstein } from '../../../src-workers/compute/monitoring';
import { normals } from './synthetic';

describe('PSI binning edge cases', () => {
  it('uses the nine reference deciles as edges, with open outer bins', () => {
    const ref = Float64Array.from({ length: 101 }, (_v, i) => i); // deciles 10, 20, …, 90 exactly
    const bins = numericBins(ref);
    expect(bins.kind === 'numeric' && !bins.constant && Array.from(bins.edges)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    const r = psi(ref, [-1000, 10, 10.5, 95, 1e9]);
    expect(r.bins.map((b) => b.label)[0]).toBe('(-inf, 10]');
    expect(r.bins.map((b) => b.label)[9]).toBe('(90, inf)');
    // -1000 and 10 in the first bin (right-closed), 10.5 in the second, 95 and 1e9 in the last.
    expect(r.counts.current).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(r.counts.reference).toEqual([11, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
  });

  it('a constant feature: PSI 0 while the current is the same constant, positive when any value differs on either side', () => {
    const ref = new Float64Array(500).fill(3);
    const same = psi(ref, new Float64Array(80).fill(3));
    expect(same.value).toBe(0);
    expect(same.bins.map((b) => b.label)).toEqual(['= 3', '≠ 3']);
    const below = psi(ref, [3, 3, 3, 2]);
    const above = psi(ref, [3, 3, 3, 4]);
    expect(below.value).toBeGreaterThan(0.5);
    expect(below.value).toBeCloseTo(above.value as number, 12);
    expect(jensenShannon(ref, new Float64Array(80).fill(3)).value).toBe(0);
    expect(wasserstein(ref, [3, 3, 5]).normalized).toBeNull();
  });

  it('all missing on either side gives a null value with the reason and the missing counts', () => {
    const refMissing = psi([Number.NaN, null, Number.NaN], [1, 2, 3]);
    expect(refMissing.value).toBeNull();
    expect(refMissing.reason).toBe('every reference value is missing');
    expect(refMissing.missing).toEqual({ reference: 3, current: 0 });
    const curMissing = psi([1, 2, 3, 4], [Number.NaN, Number.POSITIVE_INFINITY]);
    expect(curMissing.value).toBeNull();
    expect(curMissing.reason).toBe('every current value is missing');
    expect(curMissing.missing).toEqual({ reference: 0, current: 2 });
    expect(jensenShannon([Number.NaN], [1]).value).toBeNull();
  });

  it('missing values are excluded and counted, not binned', () => {
    const ref = normals(1, 1000);
    const cur = Float64Array.from(normals(2, 300), (v, i) => (i % 3 === 0 ? Number.NaN : v));
    const r = psi(ref, cur);
    expect(r.missing.current).toBe(100);
    expect(r.counts.current.reduce((a, b) => a + b, 0)).toBe(200);
  });

  it('values outside the reference range land in the outer bins and drive PSI up', () => {
    const ref = normals(3, 2000);
    const far = psi(ref, normals(4, 300, 10));
    expect(far.counts.current[far.counts.current.length - 1]).toBe(300);
    // All current mass in one bin that held 10% of the reference: (1 − 0.1)·ln(1/0.1) plus the ε bins.
    expect(far.value).toBeGreaterThan(0.9 * Math.log(10));
  });

  it('ties at decile edges merge bins instead of leaving empty ones', () => {
    // 101 values: indices 0–74 are 0, 75–89 are 1, 90–100 are 2; deciles sit at indices 10, 20, …, 90:
    // 0 (×7), 1, 2 → edges [0, 1, 2] → 4 bins, the last (2, ∞) empty in the reference.
    const ref = [...new Array(75).fill(0), ...new Array(15).fill(1), ...new Array(11).fill(2)];
    const bins = numericBins(ref);
    expect(bins.kind === 'numeric' && !bins.constant && Array.from(bins.edges)).toEqual([0, 1, 2]);
    const r = psi(ref, ref);
    expect(r.value).toBeCloseTo(0, 12);
    expect(r.counts.reference).toEqual([75, 15, 11, 0]);
    // A value of 3 is beyond every edge: the ε bin of the reference takes it.
    expect(psi(ref, [0, 1, 2, 3]).counts.current).toEqual([1, 1, 1, 1]);
  });

  it('empty bins get ε and both sides are renormalised to sum to 1', () => {
    const ref = Float64Array.from({ length: 100 }, (_v, i) => i);
    const r = psi(ref, new Float64Array(50).fill(55));
    const curShares = r.bins.map((b) => b.current);
    expect(curShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const eps = PSI_EPSILON / (1 + 9 * PSI_EPSILON);
    expect(curShares.filter((s) => s !== curShares[5]).every((s) => Math.abs(s - eps) < 1e-15)).toBe(true);
    expect(r.value).toBeCloseTo(
      r.bins.reduce((s, b) => s + b.contribution, 0),
      12,
    );
  });

  it('is zero for identical samples and grows with the shift', () => {
    const ref = normals(5, 2430);
    expect(psi(ref, ref).value).toBeCloseTo(0, 12);
    const values = [0, 0.25, 0.5, 1].map((shift) => psi(ref, normals(6, 450, shift)).value as number);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
  });

  it('categorical PSI bins by category and counts a new category against ε', () => {
    const ref = ['a', 'a', 'b', 'b', null];
    const r = categoricalPsi(ref, ['a', 'b', 'c', 'c', undefined]);
    expect(r.bins.map((b) => b.label)).toEqual(['a', 'b', 'c']);
    expect(r.counts).toEqual({ reference: [2, 2, 0], current: [1, 1, 2] });
    expect(r.missing).toEqual({ reference: 1, current: 1 });
    expect(r.value).toBeGreaterThan(1);
    expect(categoricalPsi([true, false, true], [1, 0, 1]).value).toBe(0);
  });
});

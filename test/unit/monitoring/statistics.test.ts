import { describe, expect, it } from 'vitest';
import {
  categoricalJensenShannon,
  categoricalPsi,
  jensenShannon,
  kolmogorovSf,
  ksTest,
  psi,
  wasserstein,
} from '../../../src-workers/compute/monitoring';
import { checksum, fromCounts, generate, loadReference, type SampleSpec } from './fixtureData';

/**
 * Every statistic against scipy (test/fixtures/monitoring/make_reference.py). Tolerances: KS p-values 1e-6
 * absolute (the brief's bar; the port agrees far closer, see the max-error test), statistics, distances and
 * PSI 1e-9 relative — they differ from scipy only in summation order.
 */

const ref = loadReference();
const P_TOLERANCE = 1e-6;

function close(actual: number | null, expected: number | null, rel = 1e-9): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

function samples(c: { reference: SampleSpec; current: SampleSpec; checksum: { reference: unknown; current: unknown } }) {
  const r = generate(c.reference);
  const x = generate(c.current);
  const cr = checksum(r);
  const cx = checksum(x);
  const want = c.checksum as {
    reference: { n: number; missing: number; sum: number };
    current: { n: number; missing: number; sum: number };
  };
  expect([cr.n, cr.missing, cx.n, cx.missing]).toEqual([want.reference.n, want.reference.missing, want.current.n, want.current.missing]);
  expect(Math.abs(cr.sum - want.reference.sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want.reference.sum)));
  expect(Math.abs(cx.sum - want.current.sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want.current.sum)));
  return { r, x };
}

describe('two-sample KS against scipy.stats.ks_2samp (method auto)', () => {
  it.each(ref.ks.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { r, x } = samples(c);
    const got = ksTest(r, x);
    expect(got.method).toBe(c.method);
    close(got.statistic, c.statistic, 1e-12);
    expect(Math.abs((got.pValue as number) - c.pValue)).toBeLessThanOrEqual(P_TOLERANCE);
  });

  it('covers the exact path and every asymptotic branch scipy takes', () => {
    expect(new Set(ref.ks.map((c) => c.method))).toEqual(new Set(['exact', 'asymptotic']));
    expect(new Set(ref.ks.map((c) => c.asymptoticBranch).filter((b) => b !== null))).toEqual(
      new Set(['pelz-good', 'smirnov', 'durbin', 'pomeranz', 'ruben-gambino low', 'ruben-gambino high', 'trivial']),
    );
  });
});

describe("the Kolmogorov distribution against scipy's kstwo.sf", () => {
  it('agrees on a grid reaching every branch', () => {
    expect(new Set(ref.kstwo.map((k) => k.branch)).size).toBeGreaterThanOrEqual(8);
    for (const k of ref.kstwo) {
      const got = kolmogorovSf(k.n, k.x);
      expect(Math.abs(got - k.sf), `n=${k.n} x=${k.x} (${k.branch})`).toBeLessThanOrEqual(1e-9);
    }
  });
});

describe('PSI, Jensen–Shannon and Wasserstein against the script and scipy', () => {
  it.each(ref.distances.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { r, x } = samples(c);
    const p = psi(r, x);
    close(p.value, c.psi);
    if (c.binCounts) expect(p.counts).toEqual(c.binCounts);
    close(jensenShannon(r, x).value, c.jensenShannon);
    const w = wasserstein(r, x);
    close(w.value, c.wasserstein);
    close(w.normalized, c.wassersteinNormalized);
  });

  it.each(ref.categorical.map((c) => [c.name, c] as const))('categorical: %s', (_name, c) => {
    const r = fromCounts(c.reference);
    const x = fromCounts(c.current);
    const p = categoricalPsi(r, x);
    expect(p.bins.map((b) => b.label)).toEqual(c.categories);
    close(p.value, c.psi);
    close(categoricalJensenShannon(r, x).value, c.jensenShannon);
  });
});

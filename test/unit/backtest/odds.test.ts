import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../src-main/shared/errors';
import {
  americanToDecimal,
  americanToDecimalColumn,
  decimalToAmerican,
  impliedFromAmerican,
  impliedFromDecimal,
  probabilityToAmerican,
  removeVigProportional,
} from '../../../src-workers/compute/backtest';

describe('odds arithmetic on hand-computed fixtures', () => {
  it('converts American to decimal', () => {
    expect(americanToDecimal(150)).toBe(2.5);
    expect(americanToDecimal(-150)).toBeCloseTo(5 / 3, 12);
    expect(americanToDecimal(-110)).toBeCloseTo(1.9090909091, 9);
    expect(americanToDecimal(100)).toBe(2);
    expect(americanToDecimal(-100)).toBe(2);
    expect(americanToDecimal(Number.NaN)).toBeNaN();
  });

  it('converts decimal to American', () => {
    expect(decimalToAmerican(2.5)).toBeCloseTo(150, 10);
    expect(decimalToAmerican(1.5)).toBeCloseTo(-200, 10);
    expect(decimalToAmerican(2)).toBe(100);
  });

  it('gives implied probabilities', () => {
    expect(impliedFromAmerican(150)).toBeCloseTo(0.4, 12);
    expect(impliedFromAmerican(-150)).toBeCloseTo(0.6, 12);
    expect(impliedFromAmerican(-110)).toBeCloseTo(110 / 210, 12);
    expect(impliedFromDecimal(1.25)).toBe(0.8);
    expect(probabilityToAmerican(0.6)).toBeCloseTo(-150, 9);
  });

  it('removes the vig proportionally: −110/−110 is 50/50 with 4.76% overround', () => {
    const f = removeVigProportional(impliedFromAmerican(-110), impliedFromAmerican(-110));
    expect(f.home).toBeCloseTo(0.5, 12);
    expect(f.overround).toBeCloseTo(220 / 210 - 1, 12);
    const g = removeVigProportional(impliedFromAmerican(-150), impliedFromAmerican(130));
    expect(g.home).toBeCloseTo(0.6 / (0.6 + 100 / 230), 12);
    expect(g.home + g.away).toBeCloseTo(1, 12);
  });

  it('refuses impossible prices', () => {
    expect(() => americanToDecimal(-50)).toThrow(BullpenError);
    expect(() => decimalToAmerican(1)).toThrow(BullpenError);
    expect(() => americanToDecimalColumn([120, 99])).toThrow(/row 1/);
  });
});

describe('odds properties (fast-check)', () => {
  const american = fc.oneof(fc.integer({ min: 101, max: 5000 }), fc.integer({ min: -5000, max: -101 }));
  const decimal = fc.double({ min: 1.01, max: 50, noNaN: true });

  it('American → decimal → American is the identity', () => {
    fc.assert(
      fc.property(american, (a) => {
        expect(decimalToAmerican(americanToDecimal(a))).toBeCloseTo(a, 6);
      }),
      { seed: 21 },
    );
  });

  it('decimal → American → decimal is the identity and implied probability is 1/decimal', () => {
    fc.assert(
      fc.property(decimal, (d) => {
        expect(americanToDecimal(decimalToAmerican(d))).toBeCloseTo(d, 9);
        expect(impliedFromAmerican(decimalToAmerican(d))).toBeCloseTo(1 / d, 9);
      }),
      { seed: 22 },
    );
  });

  it('vig removal gives probabilities that sum to one and keep the order of the sides', () => {
    fc.assert(
      fc.property(decimal, decimal, (h, a) => {
        const f = removeVigProportional(1 / h, 1 / a);
        expect(f.home + f.away).toBeCloseTo(1, 12);
        expect(Math.sign(f.home - f.away)).toBe(Math.sign(a - h));
      }),
      { seed: 23 },
    );
  });
});

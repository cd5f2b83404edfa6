import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { americanToDecimal, decimalToAmerican, noVigProbabilities, pricesWithVig } from '../../../src-main/engine/data/oddsMath';
import { parseCalendarDate } from '../../../src-main/engine/data/rowError';

describe('odds arithmetic', () => {
  it('converts the textbook American prices to decimal', () => {
    expect(americanToDecimal(150)).toBe(2.5);
    expect(americanToDecimal(-200)).toBe(1.5);
    expect(americanToDecimal(100)).toBe(2);
    expect(americanToDecimal(50)).toBeUndefined();
  });

  it('round-trips American -> decimal -> American for every whole price', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 100, max: 5000 }), fc.integer({ min: -5000, max: -101 })), (a) => {
        expect(decimalToAmerican(americanToDecimal(a) as number)).toBe(a);
      }),
    );
  });

  it('removes exactly the vig it adds, and the no-vig probabilities sum to one', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.02, max: 0.98, noNaN: true }), fc.double({ min: 0, max: 0.1, noNaN: true }), (p, vig) => {
        const [a, b] = pricesWithVig(p, vig);
        const nv = noVigProbabilities(a, b);
        expect(nv.a).toBeCloseTo(p, 10);
        expect(nv.a + nv.b).toBeCloseTo(1, 12);
        expect(nv.overround).toBeCloseTo(vig, 10);
      }),
    );
  });
});

describe('calendar dates', () => {
  it('accepts real dates in both spellings and rejects impossible ones', () => {
    expect(parseCalendarDate('20160403')).toBe('2016-04-03');
    expect(parseCalendarDate('2016-02-29')).toBe('2016-02-29');
    expect(parseCalendarDate('20150229')).toBeUndefined();
    expect(parseCalendarDate('20161301')).toBeUndefined();
    expect(parseCalendarDate('2016-4-3')).toBeUndefined();
  });
});

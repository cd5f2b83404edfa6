import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { balancedSchedule } from '../../../src-main/engine/demo/schedule';
import { Rng } from '../../../src-main/engine/demo/rng';
import { generateLeague } from '../../../src-main/engine/demo/generateLeague';

describe('demo schedule and generator', () => {
  it('gives every one of 30 teams 162 games, 81 at home, never two on one day, for any seed', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const { games } = balancedSchedule(30, new Rng(seed));
        const total = new Map<number, number>();
        const home = new Map<number, number>();
        const busy = new Set<string>();
        for (const g of games) {
          for (const t of [g.home, g.away]) {
            total.set(t, (total.get(t) ?? 0) + 1);
            const key = `${t}@${g.day}`;
            expect(busy.has(key)).toBe(false);
            busy.add(key);
          }
          home.set(g.home, (home.get(g.home) ?? 0) + 1);
        }
        expect([...total.values()].every((n) => n === 162)).toBe(true);
        expect([...home.values()].every((n) => n === 81)).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('generates the same rows for the same seed', () => {
    const opts = { seed: 5, firstSeason: 2000, lastSeason: 2000, marketInefficiency: true, scoringShift: false };
    expect(generateLeague(opts)).toEqual(generateLeague(opts));
    expect(generateLeague(opts).games).not.toEqual(generateLeague({ ...opts, seed: 6 }).games);
  });
});

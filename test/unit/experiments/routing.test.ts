import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../src-main/shared/errors';
import {
  assignVariant,
  bucketRanges,
  chooseVariant,
  fnv1a32,
  hashV2,
  splitWeights,
} from '../../../src-workers/compute/experiments/routing';
import { loadReference } from './fixtureData';

/**
 * Routing against GrowthBook's published SDK test cases (growthbook/growthbook packages/sdk-js/test/cases.json,
 * specVersion 0.8.0, commit 05fe635c: the `hash`, `getBucketRange` and `chooseVariation` cases, copied as data) and
 * against the Python reference (test/fixtures/experiments/make_reference.py: FNV-1a over UTF-16 code units).
 * Hashes must agree exactly; bucket ranges to 1e-12 (0.2 × 0.2 is 0.04000000000000001 in doubles on both sides).
 */

const ref = loadReference();

/** [seed, value, version, expected] from cases.json `hash` (version 99, unknown, is left out). */
const GROWTHBOOK_HASH_CASES: [string, string, 1 | 2, number][] = [
  ['', 'a', 1, 0.22],
  ['', 'b', 1, 0.077],
  ['b', 'a', 1, 0.946],
  ['ef', 'd', 1, 0.652],
  ['asdf', '8952klfjas09ujk', 1, 0.549],
  ['', '123', 1, 0.011],
  ['', '___)((*":&', 1, 0.563],
  ['seed', 'a', 2, 0.0505],
  ['seed', 'b', 2, 0.2696],
  ['foo', 'ab', 2, 0.2575],
  ['foo', 'def', 2, 0.2019],
  ['89123klj', '8952klfjas09ujkasdf', 2, 0.124],
  ['90850943850283058242805', '123', 2, 0.7516],
  ['()**(%$##$%#$#', '___)((*":&', 2, 0.0128],
];

/** cases.json `getBucketRange` with valid weights and coverage: [name, variations, coverage, weights, expected]. */
const GROWTHBOOK_RANGE_CASES: [string, number, number, number[] | null, [number, number][]][] = [
  [
    'normal 50/50',
    2,
    1,
    null,
    [
      [0, 0.5],
      [0.5, 1],
    ],
  ],
  [
    'reduced coverage',
    2,
    0.5,
    null,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
  ],
  [
    'zero coverage',
    2,
    0,
    null,
    [
      [0, 0],
      [0.5, 0.5],
    ],
  ],
  [
    '4 variations',
    4,
    1,
    null,
    [
      [0, 0.25],
      [0.25, 0.5],
      [0.5, 0.75],
      [0.75, 1],
    ],
  ],
  [
    'uneven weights',
    2,
    1,
    [0.4, 0.6],
    [
      [0, 0.4],
      [0.4, 1],
    ],
  ],
  [
    'uneven weights, 3 variations',
    3,
    1,
    [0.2, 0.3, 0.5],
    [
      [0, 0.2],
      [0.2, 0.5],
      [0.5, 1],
    ],
  ],
  [
    'uneven weights, reduced coverage, 3 variations',
    3,
    0.2,
    [0.2, 0.3, 0.5],
    [
      [0, 0.04],
      [0.2, 0.26],
      [0.5, 0.6],
    ],
  ],
];

/** cases.json `chooseVariation`: [name, hash, ranges, expected variant]. */
const GROWTHBOOK_CHOOSE_CASES: [string, number, [number, number][], number][] = [
  [
    'even range, 0.2',
    0.2,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    0,
  ],
  [
    'even range, 0.4',
    0.4,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    0,
  ],
  [
    'even range, 0.6',
    0.6,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    1,
  ],
  [
    'even range, 0.8',
    0.8,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    1,
  ],
  [
    'even range, 0',
    0,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    0,
  ],
  [
    'even range, 0.5',
    0.5,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    1,
  ],
  [
    'reduced range, 0.2',
    0.2,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    0,
  ],
  [
    'reduced range, 0.4',
    0.4,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    -1,
  ],
  [
    'reduced range, 0.6',
    0.6,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    1,
  ],
  [
    'reduced range, 0.8',
    0.8,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    -1,
  ],
  [
    'reduced range, 0.25',
    0.25,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    -1,
  ],
  [
    'reduced range, 0.5',
    0.5,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    1,
  ],
  [
    'zero range',
    0.5,
    [
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
    ],
    2,
  ],
];

describe("hashes against GrowthBook's SDK cases and the Python reference", () => {
  it.each(GROWTHBOOK_HASH_CASES)('hash(%j, %j, v%i) = %f', (seed, value, version, expected) => {
    // Version 1 is (fnv(value + seed) mod 1000) / 1000: it checks fnv1a32 on its own.
    const got = version === 2 ? hashV2(seed, value) : (fnv1a32(value + seed) % 1000) / 1000;
    expect(got).toBe(expected);
  });

  it('fnv1a32 agrees with Python over UTF-16 code units, beyond ASCII too', () => {
    expect(ref.fnv.length).toBeGreaterThanOrEqual(10);
    for (const c of ref.fnv) expect(fnv1a32(c.s), JSON.stringify(c.s)).toBe(c.fnv1a32);
    // The 32-bit offset basis for the empty string and an unsigned result for every input.
    expect(fnv1a32('')).toBe(0x811c9dc5);
  });

  it('hashV2 agrees with Python for every salt and game id', () => {
    for (const c of ref.hashV2) expect(hashV2(c.salt, c.gameId), `${c.salt}|${c.gameId}`).toBe(c.hash);
  });
});

describe('bucket ranges and variant choice', () => {
  it.each(GROWTHBOOK_RANGE_CASES)('%s', (_name, variations, coverage, weights, expected) => {
    const got = bucketRanges(weights ?? Array.from({ length: variations }, () => 1 / variations), coverage);
    expect(got).toHaveLength(expected.length);
    got.forEach(([a, b], i) => {
      expect(Math.abs(a - expected[i][0])).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(b - expected[i][1])).toBeLessThanOrEqual(1e-12);
    });
  });

  it.each(GROWTHBOOK_CHOOSE_CASES)('chooseVariant: %s', (_name, n, ranges, expected) => {
    expect(chooseVariant(n, ranges)).toBe(expected);
  });

  it('refuses weights and coverage GrowthBook would silently replace with an equal split', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof BullpenError ? e.code : 'not a BullpenError';
      }
      return undefined;
    };
    expect(code(() => bucketRanges([0.4, 0.1]))).toBe('EXPERIMENT_WEIGHTS_INVALID');
    expect(code(() => bucketRanges([0.7, 0.6]))).toBe('EXPERIMENT_WEIGHTS_INVALID');
    expect(code(() => bucketRanges([0.4, 0.5999]))).toBe('EXPERIMENT_WEIGHTS_INVALID');
    expect(code(() => bucketRanges([]))).toBe('EXPERIMENT_WEIGHTS_INVALID');
    expect(code(() => bucketRanges([1.2, -0.2]))).toBe('EXPERIMENT_WEIGHTS_INVALID');
    expect(code(() => bucketRanges([0.5, 0.5], -0.2))).toBe('EXPERIMENT_COVERAGE_INVALID');
    expect(code(() => bucketRanges([0.5, 0.5], 1.5))).toBe('EXPERIMENT_COVERAGE_INVALID');
    expect(code(() => splitWeights(1.2))).toBe('EXPERIMENT_SHARE_INVALID');
    expect(code(() => splitWeights(Number.NaN))).toBe('EXPERIMENT_SHARE_INVALID');
    expect(splitWeights(0.2)).toEqual([0.8, 0.2]);
  });
});

describe('routing properties', () => {
  const gameId = fc.oneof(fc.string({ maxLength: 40 }), fc.integer({ min: 0, max: 10_000_000 }).map(String));
  const share = fc.double({ min: 0, max: 1, noNaN: true });

  it('the same (salt, game) always gets the same variant and a hash in [0, 1) on a 1/10,000 grid', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), gameId, share, (salt, game, s) => {
        const h = hashV2(salt, game);
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThan(1);
        expect(Math.abs(h * 10000 - Math.round(h * 10000))).toBeLessThan(1e-9);
        expect(assignVariant(salt, game, s)).toBe(assignVariant(salt, game, s));
        expect(chooseVariant(h, bucketRanges(splitWeights(s)))).not.toBe(-1);
      }),
      { numRuns: 500 },
    );
  });

  it("raising the challenger's share only moves games from control to challenger, never back", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.array(gameId, { minLength: 1, maxLength: 50 }), share, share, (salt, games, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        for (const g of games) {
          // Challenger under the smaller share ⇒ challenger under the larger one.
          if (assignVariant(salt, g, low) === 1) expect(assignVariant(salt, g, high)).toBe(1);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a ramp 5 → 10 → 25 → 50 → 100% keeps every game that reached the challenger there', () => {
    const games = Array.from({ length: 2430 }, (_, i) => `2016-${i}`);
    let previous = games.map(() => 0);
    const counts: number[] = [];
    for (const s of [0.05, 0.1, 0.25, 0.5, 1]) {
      const now = games.map((g) => assignVariant('ramp-salt', g, s));
      now.forEach((v, i) => expect(v).toBeGreaterThanOrEqual(previous[i]));
      counts.push(now.reduce<number>((x, y) => x + y, 0));
      previous = now;
    }
    // The shares land near their targets over a season of games (binomial sd at most 25 games).
    expect(counts[4]).toBe(2430);
    [0.05, 0.1, 0.25, 0.5].forEach((s, i) => expect(Math.abs(counts[i] - s * 2430)).toBeLessThan(100));
  });

  it('splits an 80/20 season close to 80/20 and different salts route differently', () => {
    const games = Array.from({ length: 10000 }, (_, i) => String(400000 + i));
    const a = games.map((g) => assignVariant('salt-a', g, 0.2));
    const b = games.map((g) => assignVariant('salt-b', g, 0.2));
    const share = a.reduce<number>((x, y) => x + y, 0) / games.length;
    expect(Math.abs(share - 0.2)).toBeLessThan(0.02);
    const agree = a.filter((v, i) => v === b[i]).length / games.length;
    // Independent salts agree on about 0.8² + 0.2² = 68% of games.
    expect(agree).toBeGreaterThan(0.6);
    expect(agree).toBeLessThan(0.76);
  });
});

import { inputError } from '../../../src-main/shared/errors';

/**
 * Which variant a game gets, as GrowthBook's SDKs assign users: a hash of (experiment salt, game id) in
 * [0, 1) falls in one variant's bucket range. The hash is GrowthBook's version 2, so a Python or JavaScript
 * client given the salt reproduces every assignment; it does not depend on the split, and the ranges are
 * cumulative with control first, so widening the challenger's share moves games from control to the
 * challenger and never back (a game keeps its variant for the whole experiment unless the share moves).
 * Checked against the test cases GrowthBook publishes for its SDKs (packages/sdk-js/test/cases.json).
 */

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Version 2 keeps four decimal places of the hash: 10,000 buckets. */
const HASH_V2_BUCKETS = 10000;
/** Weights must sum to 1 within this (floating-point sums of shares such as 0.7 + 0.2 + 0.1). */
const WEIGHT_SUM_TOLERANCE = 1e-9;

/**
 * FNV-1a, 32 bits, over the string's UTF-16 code units (JavaScript's charCodeAt, as GrowthBook's JS SDK
 * hashes; a Python client must hash `s.encode('utf-16-le')` code units, not UTF-8 bytes, to agree beyond ASCII).
 */
export function fnv1a32(s: string): number {
  let h = FNV_OFFSET_BASIS;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    // Math.imul keeps the 32-bit product exact where a double multiplication would lose the low bits.
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** GrowthBook's hash version 2 of a game: fnv(String(fnv(salt + gameId))) mod 10,000, as a fraction in [0, 1). */
export function hashV2(salt: string, gameId: string): number {
  return (fnv1a32(String(fnv1a32(salt + gameId))) % HASH_V2_BUCKETS) / HASH_V2_BUCKETS;
}

/**
 * Cumulative bucket ranges of the variants' weights, control first: variant i owns [start_i, start_i + coverage · w_i)
 * with start_i = w_0 + … + w_{i−1}, GrowthBook's layout. Reduced coverage shrinks each range from its end (games
 * outside every range are in no variant) without moving any start, so covering more later only adds games.
 * Unlike GrowthBook, which falls back to equal weights, invalid weights or coverage are refused: a silent 50/50
 * would run a different experiment from the one configured.
 */
export function bucketRanges(weights: readonly number[], coverage = 1): [number, number][] {
  if (weights.length === 0) throw inputError('EXPERIMENT_WEIGHTS_INVALID', 'an experiment needs at least one variant weight');
  let sum = 0;
  for (const w of weights) {
    if (!Number.isFinite(w) || w < 0)
      throw inputError('EXPERIMENT_WEIGHTS_INVALID', `variant weights must be finite shares of at least 0; got ${w}`, {
        weights: [...weights],
      });
    sum += w;
  }
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE)
    throw inputError('EXPERIMENT_WEIGHTS_INVALID', `variant weights must sum to 1 (e.g. 0.8, 0.2); these sum to ${sum}`, {
      weights: [...weights],
    });
  if (!(coverage >= 0 && coverage <= 1))
    throw inputError('EXPERIMENT_COVERAGE_INVALID', `coverage is the share of games in the experiment, from 0 to 1; got ${coverage}`, {
      coverage,
    });
  let start = 0;
  return weights.map((w) => {
    const range: [number, number] = [start, start + coverage * w];
    start += w;
    return range;
  });
}

/** The variant whose range [start, end) holds the hash, or −1 when the game falls in no range (reduced coverage). */
export function chooseVariant(n: number, ranges: readonly (readonly [number, number])[]): number {
  for (let i = 0; i < ranges.length; i++) if (n >= ranges[i][0] && n < ranges[i][1]) return i;
  return -1;
}

/** [control, challenger] weights of a challenger share in [0, 1] (0.2 for an 80/20 split). */
export function splitWeights(challengerShare: number): [number, number] {
  if (!(challengerShare >= 0 && challengerShare <= 1))
    throw inputError(
      'EXPERIMENT_SHARE_INVALID',
      `the challenger's share is a fraction from 0 to 1 (0.2 for 80/20); got ${challengerShare}`,
      {
        challengerShare,
      },
    );
  return [1 - challengerShare, challengerShare];
}

/** Variant of one game under a challenger share: 0 control, 1 challenger. */
export function assignVariant(salt: string, gameId: string, challengerShare: number): 0 | 1 {
  return chooseVariant(hashV2(salt, gameId), bucketRanges(splitWeights(challengerShare))) === 1 ? 1 : 0;
}

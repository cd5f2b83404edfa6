import { inputError } from '../../../../src-main/shared/errors';
import type { Pruner, PruneContext } from '../pruner';
import { SuccessiveHalvingPruner } from './successiveHalving';

export interface HyperbandOptions {
  minResource: number;
  /** Folds a trial can complete (the CV's fold count by default). */
  maxResource: number;
  reductionFactor: number;
}

/**
 * Hyperband as Optuna's HyperbandPruner: brackets s = 0 … n − 1 with n = ⌊log_η(max/min)⌋ + 1, bracket
 * s a successive-halving pruner with min early-stopping rate s, and each trial in one bracket, compared
 * only with the reference trials of the same bracket. A trial's bracket comes from a hash of
 * (seed, trial number) taken modulo the sum of the brackets' budgets ⌈n·η^(n−1−s)/(n−s)⌉, as Optuna
 * does with CRC-32 of (study name, trial number): the same trial lands in the same bracket in every
 * worker and on every resume.
 */
export class HyperbandPruner implements Pruner {
  readonly name = 'hyperband';
  readonly brackets: number;
  /** Trials each bracket gets out of every `budgets` total. */
  readonly budgets: readonly number[];
  private readonly pruners: SuccessiveHalvingPruner[];
  private readonly total: number;

  constructor(o: HyperbandOptions) {
    // ⌊log_η(max/min)⌋ counted in integers: a floating log can land a hair under an exact power.
    let brackets = 0;
    while (o.minResource * o.reductionFactor ** brackets <= o.maxResource) brackets++;
    if (brackets === 0)
      throw inputError(
        'SWEEP_PRUNER_RESOURCES',
        `hyperband needs maxResource (${o.maxResource}) ≥ minResource (${o.minResource}): lower minResource or use more folds`,
        { minResource: o.minResource, maxResource: o.maxResource },
      );
    this.brackets = brackets;
    this.budgets = Array.from({ length: brackets }, (_, b) => {
      const s = brackets - 1 - b;
      return Math.ceil((brackets * o.reductionFactor ** s) / (s + 1));
    });
    this.total = this.budgets.reduce((a, b) => a + b, 0);
    this.pruners = this.budgets.map(
      (_, b) =>
        new SuccessiveHalvingPruner(
          { minResource: o.minResource, reductionFactor: o.reductionFactor, minEarlyStoppingRate: b },
          `hyperband bracket ${b} of ${brackets}: successive halving`,
        ),
    );
  }

  /** The bracket of a trial: deterministic in (seed, trial number), in proportion to the budgets. */
  bracketOf(seed: number, trialNumber: number): number {
    let n = crc32(`${seed}_${trialNumber}`) % this.total;
    for (let b = 0; b < this.brackets; b++) {
      n -= this.budgets[b];
      if (n < 0) return b;
    }
    return this.brackets - 1;
  }

  shouldPrune(ctx: PruneContext): string | null {
    const bracket = this.bracketOf(ctx.seed, ctx.trialNumber);
    const reference = ctx.reference.filter((t) => this.bracketOf(ctx.seed, t.number) === bracket);
    return this.pruners[bracket].shouldPrune({ ...ctx, reference });
  }
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, zlib's and Python's binascii.crc32) of a string's UTF-8 bytes. */
export function crc32(text: string): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

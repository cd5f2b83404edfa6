import { inputError } from '../../../src-main/shared/errors';

/**
 * Odds arithmetic. Decimal odds are the internal form (the total returned per unit staked, stake included).
 * Missing prices are NaN and stay NaN through every conversion; impossible prices are input errors.
 */

/** American odds have magnitude at least 100 (+150 pays 1.5 per unit, −150 pays 1/1.5). */
const AMERICAN_MIN_MAGNITUDE = 100;

/** American → decimal: +150 → 2.5, −150 → 1.6667, ±100 → 2. */
export function americanToDecimal(american: number): number {
  if (Number.isNaN(american)) return Number.NaN;
  if (!Number.isFinite(american) || Math.abs(american) < AMERICAN_MIN_MAGNITUDE) {
    throw inputError('ODDS_BAD_AMERICAN', `American odds ${american} are impossible: they are ≤ −100 or ≥ +100`, { value: american });
  }
  return american > 0 ? 1 + american / 100 : 1 + 100 / -american;
}

/** Decimal → American: 2.5 → +150, 1.6667 → −150; even money (2.0) is +100. */
export function decimalToAmerican(decimal: number): number {
  if (Number.isNaN(decimal)) return Number.NaN;
  checkDecimal(decimal);
  return decimal >= 2 ? (decimal - 1) * 100 : -100 / (decimal - 1);
}

/** Break-even probability of a decimal price (includes the bookmaker's margin). */
export function impliedFromDecimal(decimal: number): number {
  if (Number.isNaN(decimal)) return Number.NaN;
  checkDecimal(decimal);
  return 1 / decimal;
}

/** Break-even probability of an American price: +150 → 0.4, −150 → 0.6. */
export function impliedFromAmerican(american: number): number {
  return impliedFromDecimal(americanToDecimal(american));
}

/** The fair decimal price of a probability (no margin). */
export function probabilityToDecimal(p: number): number {
  if (!(p > 0 && p <= 1)) throw inputError('ODDS_BAD_PROBABILITY', `probability ${p} has no price: it must be in (0, 1]`, { value: p });
  return 1 / p;
}

/** The fair American price of a probability. */
export function probabilityToAmerican(p: number): number {
  return decimalToAmerican(probabilityToDecimal(p));
}

/** A two-way market with the margin removed proportionally, and the overround it carried. */
export interface FairPair {
  home: number;
  away: number;
  /** Sum of implied probabilities minus one (Pinnacle's MLB closing lines carry about 0.02). */
  overround: number;
}

/** Removes the vig by proportional normalisation: each side's implied probability divided by their sum. */
export function removeVigProportional(impliedHome: number, impliedAway: number): FairPair {
  const total = impliedHome + impliedAway;
  return { home: impliedHome / total, away: impliedAway / total, overround: total - 1 };
}

/** Converts a column of American odds to decimal odds (NaN stays NaN). */
export function americanToDecimalColumn(american: ArrayLike<number>): Float64Array {
  const out = new Float64Array(american.length);
  for (let i = 0; i < american.length; i++) {
    try {
      out[i] = americanToDecimal(american[i]);
    } catch (err) {
      throw inputError('ODDS_BAD_AMERICAN', `American odds ${american[i]} at row ${i} are impossible: they are ≤ −100 or ≥ +100`, {
        row: i,
        value: american[i],
        cause: String(err),
      });
    }
  }
  return out;
}

function checkDecimal(decimal: number): void {
  if (!(decimal > 1) || !Number.isFinite(decimal)) {
    throw inputError('ODDS_BAD_DECIMAL', `decimal odds ${decimal} are impossible: they must be greater than 1`, { value: decimal });
  }
}

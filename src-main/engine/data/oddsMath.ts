/**
 * Odds arithmetic shared by importers, the demo bookmaker and market features. Prices are stored as
 * decimal odds (stake included): American +150 = 2.5, -200 = 1.5.
 */

/** American odds to decimal; undefined for values that are not American odds (|a| < 100). */
export function americanToDecimal(american: number): number | undefined {
  if (!Number.isFinite(american) || Math.abs(american) < 100) return undefined;
  return american > 0 ? 1 + american / 100 : 1 + 100 / -american;
}

/** Decimal odds to American, rounded to the nearest whole number as books quote them. */
export function decimalToAmerican(decimal: number): number {
  return decimal >= 2 ? Math.round((decimal - 1) * 100) : Math.round(-100 / (decimal - 1));
}

/** Probabilities implied by a two-way market with the vig removed proportionally; and the overround. */
export function noVigProbabilities(priceA: number, priceB: number): { a: number; b: number; overround: number } {
  const qa = 1 / priceA;
  const qb = 1 / priceB;
  const s = qa + qb;
  return { a: qa / s, b: qb / s, overround: s - 1 };
}

/** Fair probabilities to decimal prices carrying a total overround `vig` spread proportionally. */
export function pricesWithVig(p: number, vig: number): [number, number] {
  return [1 / (p * (1 + vig)), 1 / ((1 - p) * (1 + vig))];
}

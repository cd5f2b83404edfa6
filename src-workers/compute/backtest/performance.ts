/**
 * Drawdown of an equity path as a fraction of its running peak (≥ 0; the peak starts at the initial
 * bankroll), and the largest peak-to-trough fall in units. Flat stakes keep betting after the bankroll is
 * gone, so their fraction can pass 100%; the units say how much was lost whatever the bankroll.
 */
export function drawdownSeries(
  equity: ArrayLike<number>,
  initial: number,
): { drawdown: Float64Array; maxDrawdown: number; maxDrawdownUnits: number } {
  const out = new Float64Array(equity.length);
  let peak = initial;
  let max = 0;
  let maxUnits = 0;
  for (let t = 0; t < equity.length; t++) {
    if (equity[t] > peak) peak = equity[t];
    const dd = peak > 0 ? (peak - equity[t]) / peak : 0;
    out[t] = dd;
    if (dd > max) max = dd;
    if (peak - equity[t] > maxUnits) maxUnits = peak - equity[t];
  }
  return { drawdown: out, maxDrawdown: max, maxDrawdownUnits: maxUnits };
}

/** Longest run of consecutive lost bets, in bet order. */
export function longestLosingStreak(won: ArrayLike<number>): number {
  let run = 0;
  let best = 0;
  for (let i = 0; i < won.length; i++) {
    if (won[i] === 0) {
      run++;
      if (run > best) best = run;
    } else run = 0;
  }
  return best;
}

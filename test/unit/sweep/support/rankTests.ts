// Rank tests for comparing samplers over seeds: exact, so a small number of seeds still gives an honest p-value.

/** Ranks of values (1-based), ties sharing their mean rank. */
export function midRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

export interface SignedRankResult {
  /** Sum of the ranks of |x − y| over the pairs where x > y. */
  wPlus: number;
  /** Pairs with x ≠ y (Wilcoxon drops zero differences). */
  n: number;
  /** P(W+ ≤ observed) under H0 (differences symmetric about 0): small when x tends to be below y. */
  pLess: number;
}

/**
 * One-sided Wilcoxon signed-rank test of paired samples, alternative "x below y", with the exact null
 * distribution of W+ (every sign pattern of the ranked |differences| equally likely, midranks for ties),
 * computed by dynamic programming over doubled ranks.
 */
export function wilcoxonSignedRankLess(x: readonly number[], y: readonly number[]): SignedRankResult {
  if (x.length !== y.length) throw new Error('paired samples must have the same length');
  const d = x.map((v, i) => v - y[i]).filter((v) => v !== 0);
  const n = d.length;
  if (n === 0) return { wPlus: 0, n, pLess: 1 };
  const ranks = midRanks(d.map(Math.abs));
  const doubled = ranks.map((r) => Math.round(2 * r));
  const wPlus = d.reduce((s, v, i) => s + (v > 0 ? ranks[i] : 0), 0);
  const max = doubled.reduce((a, b) => a + b, 0);
  let dist = new Float64Array(max + 1);
  dist[0] = 1;
  for (const r of doubled) {
    const next = new Float64Array(max + 1);
    for (let s = 0; s <= max; s++) {
      if (dist[s] === 0) continue;
      next[s] += dist[s] / 2;
      next[s + r] += dist[s] / 2;
    }
    dist = next;
  }
  const observed = Math.round(2 * wPlus);
  let pLess = 0;
  for (let s = 0; s <= observed; s++) pLess += dist[s];
  return { wPlus, n, pLess: Math.min(1, pLess) };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

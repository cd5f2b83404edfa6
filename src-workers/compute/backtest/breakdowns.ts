/** One group of bets in a breakdown. */
export interface BreakdownRow {
  key: string;
  bets: number;
  wins: number;
  hitRate: number;
  staked: number;
  profit: number;
  roi: number;
}

export interface Breakdowns {
  season: BreakdownRow[];
  month: BreakdownRow[];
  side: BreakdownRow[];
  /** 'favorite', 'underdog' or 'pickem' for the side bet. */
  role: BreakdownRow[];
  oddsBucket: BreakdownRow[];
}

/** Decimal-odds bucket edges: heavy favourites, favourites, near even, underdogs, long shots. */
export const ODDS_BUCKET_EDGES = [1.5, 1.8, 2.0, 2.2, 2.5, 3.0] as const;

/** Index of the decimal-odds bucket a price falls in (lower edge inclusive), 0..ODDS_BUCKET_EDGES.length. */
export function oddsBucketIndex(decimal: number): number {
  const e = ODDS_BUCKET_EDGES;
  let i = 0;
  while (i < e.length && decimal >= e[i]) i++;
  return i;
}

/** Bucket labels in price order, for charts: '<1.50', '1.50-1.80', …, '>=3.00'. */
export function oddsBucketOrder(): string[] {
  const e = ODDS_BUCKET_EDGES;
  const out = [`<${e[0].toFixed(2)}`];
  for (let i = 1; i < e.length; i++) out.push(`${e[i - 1].toFixed(2)}-${e[i].toFixed(2)}`);
  out.push(`>=${e[e.length - 1].toFixed(2)}`);
  return out;
}

/** The label of the decimal-odds bucket a price falls in, e.g. '1.80-2.00'. */
export function oddsBucket(decimal: number): string {
  return oddsBucketOrder()[oddsBucketIndex(decimal)];
}

/** Accumulates bets into groups keyed by small integers (cheap per bet); labels are made once at the end. */
export class BreakdownAccumulator {
  private readonly groups = new Map<number, { bets: number; wins: number; staked: number; profit: number }>();

  add(key: number, won: boolean, stake: number, profit: number): void {
    let g = this.groups.get(key);
    if (!g) {
      g = { bets: 0, wins: 0, staked: 0, profit: 0 };
      this.groups.set(key, g);
    }
    g.bets++;
    if (won) g.wins++;
    g.staked += stake;
    g.profit += profit;
  }

  /** Rows in ascending key order, labelled by `label`. */
  rows(label: (key: number) => string): BreakdownRow[] {
    return [...this.groups.keys()]
      .sort((a, b) => a - b)
      .map((key) => {
        const g = this.groups.get(key)!;
        return {
          key: label(key),
          bets: g.bets,
          wins: g.wins,
          hitRate: g.wins / g.bets,
          staked: g.staked,
          profit: g.profit,
          roi: g.staked > 0 ? g.profit / g.staked : 0,
        };
      });
  }
}

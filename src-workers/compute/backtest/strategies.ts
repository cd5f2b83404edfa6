import { z } from 'zod';

/** The defaults `bullpen ml backtest` documents: edge 0.02, Kelly fraction 0.25 with a 5% cap of the bankroll. */
export const STRATEGY_DEFAULTS = { stake: 1, edge: 0.02, kellyFraction: 0.25, maxStake: 0.05 } as const;

const stake = z.number().positive().default(STRATEGY_DEFAULTS.stake);
const edge = z.number().min(0).max(1).default(STRATEGY_DEFAULTS.edge);

/**
 * Betting strategies. Model strategies read the model's home-win probability; 'elo' reads an Elo
 * probability; the others are rule-based baselines. Stakes are units; Kelly stakes are fractions of the bankroll.
 * Edge is probability edge against the offered price: p(side) − 1/decimal(side), so edge > 0 ⇔ positive expected value.
 */
export const strategySchema = z.discriminatedUnion('kind', [
  /** One unit on the side the model favours, every game. */
  z.object({ kind: z.literal('flat'), stake }),
  /** One unit on a side whose model edge is at least `edge`. */
  z.object({ kind: z.literal('edge'), stake, edge }),
  /** Fractional Kelly on the positive-edge side, capped at `maxStake` of the bankroll at the start of the day. */
  z.object({
    kind: z.literal('kelly'),
    fraction: z.number().gt(0).max(1).default(STRATEGY_DEFAULTS.kellyFraction),
    maxStake: z.number().gt(0).max(1).default(STRATEGY_DEFAULTS.maxStake),
    minEdge: z.number().min(0).max(1).default(0),
  }),
  z.object({ kind: z.literal('home'), stake }),
  z.object({ kind: z.literal('favorite'), stake }),
  z.object({ kind: z.literal('underdog'), stake }),
  /** One unit on a side whose Elo edge is at least `edge`. */
  z.object({ kind: z.literal('elo'), stake, edge }),
]);
export type StrategyInput = z.input<typeof strategySchema>;
export type Strategy = z.output<typeof strategySchema>;
export type StrategyKind = Strategy['kind'];

/** Strategies that need a probability column, and which one. */
export function probabilityColumn(kind: StrategyKind): 'pHome' | 'pEloHome' | null {
  if (kind === 'flat' || kind === 'edge' || kind === 'kelly') return 'pHome';
  if (kind === 'elo') return 'pEloHome';
  return null;
}

export const HOME = 0;
export const AWAY = 1;
export const NO_BET = -1;

/** Kelly fraction of the bankroll for a bet at decimal odds d with win probability p: (p·d − 1)/(d − 1). */
export function kellyFraction(p: number, decimal: number): number {
  return (p * decimal - 1) / (decimal - 1);
}

/**
 * Decides one game: which side (HOME, AWAY or NO_BET) and the stake, in units (flat strategies) or as a
 * fraction of the bankroll (Kelly, `fractional` true). `p` is the home probability the strategy reads (NaN if none).
 */
export function decide(s: Strategy, p: number, dHome: number, dAway: number, out: { side: number; stake: number }): void {
  out.side = NO_BET;
  out.stake = 0;
  switch (s.kind) {
    case 'home':
      out.side = HOME;
      out.stake = s.stake;
      return;
    case 'favorite':
      out.side = dHome <= dAway ? HOME : AWAY; // a pick'em goes to the home side
      out.stake = s.stake;
      return;
    case 'underdog':
      out.side = dAway >= dHome ? AWAY : HOME;
      out.stake = s.stake;
      return;
    case 'flat':
      if (Number.isNaN(p)) return;
      out.side = p >= 0.5 ? HOME : AWAY;
      out.stake = s.stake;
      return;
    case 'edge':
    case 'elo': {
      if (Number.isNaN(p)) return;
      const eh = p - 1 / dHome;
      const ea = 1 - p - 1 / dAway;
      if (eh >= ea && eh >= s.edge && eh > 0) out.side = HOME;
      else if (ea > eh && ea >= s.edge && ea > 0) out.side = AWAY;
      if (out.side !== NO_BET) out.stake = s.stake;
      return;
    }
    case 'kelly': {
      if (Number.isNaN(p)) return;
      const kh = kellyFraction(p, dHome);
      const ka = kellyFraction(1 - p, dAway);
      const side = kh >= ka ? HOME : AWAY;
      const k = side === HOME ? kh : ka;
      const e = side === HOME ? p - 1 / dHome : 1 - p - 1 / dAway;
      if (k <= 0 || e < s.minEdge) return;
      out.side = side;
      out.stake = Math.min(s.maxStake, s.fraction * k);
      return;
    }
  }
}

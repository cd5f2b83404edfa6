import { z } from 'zod';
import { compareStrategies, strategySchema, type Breakdowns, type BacktestMetrics, type Strategy } from '../compute/backtest';
import type { PboResult } from '../compute/stats/backtestOverfitting';
import type { DeflatedSharpeResult } from '../compute/stats/deflatedSharpe';
import { predictProbabilities } from '../compute/boosting';
import type { TaskResult } from '../protocol';
import { defineTask } from './defineTask';
import { predictPayloadSchema } from './predict';
import { transferables } from './transferables';

const column = z.instanceof(Float64Array);

export const predictBacktestPayloadSchema = z.object({
  /** Scores the games first when given; the model strategies read these probabilities. */
  model: predictPayloadSchema.nullable(),
  /** Probabilities already known out of sample (a CV run's out-of-fold predictions), used when there is no model. */
  pHome: column.optional(),
  games: z.object({
    days: z.instanceof(Int32Array),
    seasons: z.instanceof(Int32Array),
    homeWin: column,
    pEloHome: column.nullable(),
    openHome: column,
    openAway: column,
    closeHome: column,
    closeAway: column,
  }),
  strategies: z.array(strategySchema).min(1),
  price: z.enum(['open', 'close']),
  bootstrapResamples: z.int().min(100),
  seed: z.int(),
});
export type PredictBacktestPayload = z.input<typeof predictBacktestPayloadSchema>;

export interface StrategyOutcome {
  strategy: Strategy;
  metrics: BacktestMetrics;
  breakdowns: Breakdowns;
  day: Int32Array;
  equity: Float64Array;
  drawdown: Float64Array;
  profit: Float64Array;
}

export interface PredictBacktestResult {
  pHome: Float64Array;
  outcomes: StrategyOutcome[];
  best: number;
  deflatedSharpe: (DeflatedSharpeResult & { best: number }) | null;
  pbo: PboResult | null;
}

/**
 * Scores the backtest games with the model (out of sample: the engine refused anything else) and bets
 * every strategy, ML and rule-based, on the same games in one worker, with bootstrap CIs, the deflated
 * Sharpe ratio and PBO of picking the best.
 */
export const predictBacktest = defineTask(predictBacktestPayloadSchema, (p, ctx): TaskResult<PredictBacktestResult> => {
  if (p.pHome && p.pHome.length !== p.games.homeWin.length)
    throw new Error(`pHome has ${p.pHome.length} values for ${p.games.homeWin.length} games`);
  const pHome = p.model ? predictProbabilities(p.model) : (p.pHome ?? new Float64Array(p.games.homeWin.length).fill(Number.NaN));
  ctx.progress(0.2, 'scored the games; betting');
  ctx.throwIfCancelled();
  const g = p.games;
  const cmp = compareStrategies(
    {
      dates: g.days,
      seasons: g.seasons,
      homeWin: g.homeWin,
      pHome,
      ...(g.pEloHome ? { pEloHome: g.pEloHome } : {}),
      openHome: g.openHome,
      openAway: g.openAway,
      closeHome: g.closeHome,
      closeAway: g.closeAway,
    },
    p.strategies,
    { price: p.price, bootstrap: { resamples: p.bootstrapResamples, confidence: 0.95, seed: p.seed, blockLength: 1 } },
  );
  ctx.progress(1, 'backtest done');
  const outcomes = cmp.results.map((r) => ({
    strategy: r.strategy,
    metrics: r.metrics,
    breakdowns: r.breakdowns,
    day: r.daily.day,
    equity: r.daily.equity,
    drawdown: r.daily.drawdown,
    profit: r.daily.profit,
  }));
  return {
    value: { pHome, outcomes, best: cmp.best, deflatedSharpe: cmp.deflatedSharpe, pbo: cmp.pbo },
    transfer: transferables(pHome, ...outcomes.flatMap((o) => [o.day, o.equity, o.drawdown, o.profit])),
  };
});

import { impliedFromDecimal, removeVigProportional } from '../backtest/odds';
import { type ModelMetrics, modelMetrics } from './modelMetrics';

/** The market's fair home-win probability per game (vig removed proportionally); NaN where a price is missing. */
export function marketProbabilities(
  homeDecimal: ArrayLike<number>,
  awayDecimal: ArrayLike<number>,
): { fairHome: Float64Array; overround: Float64Array } {
  const n = homeDecimal.length;
  const fairHome = new Float64Array(n);
  const overround = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const pair = removeVigProportional(impliedFromDecimal(homeDecimal[i]), impliedFromDecimal(awayDecimal[i]));
    fairHome[i] = pair.home;
    overround[i] = pair.overround;
  }
  return { fairHome, overround };
}

export interface MarketComparison {
  /** Games with both prices, the only ones either side is scored on. */
  games: number;
  model: ModelMetrics;
  market: ModelMetrics;
  meanOverround: number;
  /** model − market: negative log loss delta means the model beat the line (suspicious when large). */
  logLossDelta: number;
  accuracyDelta: number;
}

/** Scores the model and the market's own fair probabilities on the same games, so a model is always seen next to the line it must beat. */
export function marketComparison(
  y: ArrayLike<number>,
  pModelHome: ArrayLike<number>,
  homeDecimal: ArrayLike<number>,
  awayDecimal: ArrayLike<number>,
): MarketComparison {
  const { fairHome, overround } = marketProbabilities(homeDecimal, awayDecimal);
  const keep: number[] = [];
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(fairHome[i])) keep.push(i);
  const ys = Float64Array.from(keep, (i) => y[i]);
  const model = modelMetrics(
    ys,
    Float64Array.from(keep, (i) => pModelHome[i]),
  );
  const market = modelMetrics(
    ys,
    Float64Array.from(keep, (i) => fairHome[i]),
  );
  let over = 0;
  for (const i of keep) over += overround[i];
  return {
    games: keep.length,
    model,
    market,
    meanOverround: over / keep.length,
    logLossDelta: model.logLoss - market.logLoss,
    accuracyDelta: model.accuracy - market.accuracy,
  };
}

import {
  marketComparison,
  modelMetrics,
  reliabilityCurve,
  type MarketComparison,
  type ModelMetrics,
  type ReliabilityBin,
} from '../../../src-workers/compute/metrics';

export interface Evaluation {
  metrics: ModelMetrics;
  reliability: ReliabilityBin[];
  /** The closing market scored on the same games (null where no game has both prices). */
  market: MarketComparison | null;
}

/** Fewer priced games than this make the market comparison noise; it is left out. */
const MIN_PRICED_GAMES = 30;

/**
 * The metric set every model reports, next to the line it must beat: the market's own log loss and
 * accuracy on exactly the games that carry both closing prices.
 */
export function evaluate(y: Float64Array, p: Float64Array, priceA: Float64Array, priceB: Float64Array): Evaluation {
  let priced = 0;
  for (let i = 0; i < y.length; i++) if (priceA[i] > 1 && priceB[i] > 1) priced++;
  return {
    metrics: modelMetrics(y, p),
    reliability: reliabilityCurve(y, p),
    market: priced >= MIN_PRICED_GAMES ? marketComparison(y, p, priceA, priceB) : null,
  };
}

/** The closing market's line as a run's result shows it: games compared, its log loss and accuracy. */
export function marketSummary(e: Evaluation): { games: number; logLoss: number; accuracy: number } | null {
  return e.market ? { games: e.market.games, logLoss: e.market.market.logLoss, accuracy: e.market.market.accuracy } : null;
}

/** Summary metrics as run metric points (names from docs/CONVENTIONS.md; market ones prefixed). */
export function evaluationMetrics(e: Evaluation, prefix = ''): { key: string; value: number }[] {
  const out = Object.entries(e.metrics).map(([k, v]) => ({ key: `${prefix}${k}`, value: v }));
  if (e.market) {
    out.push(
      { key: `${prefix}marketGames`, value: e.market.games },
      { key: `${prefix}marketLogLoss`, value: e.market.market.logLoss },
      { key: `${prefix}marketAccuracy`, value: e.market.market.accuracy },
      { key: `${prefix}marketBrier`, value: e.market.market.brier },
      { key: `${prefix}modelLogLossOnPriced`, value: e.market.model.logLoss },
      { key: `${prefix}modelAccuracyOnPriced`, value: e.market.model.accuracy },
      { key: `${prefix}logLossVsMarket`, value: e.market.logLossDelta },
      { key: `${prefix}accuracyVsMarket`, value: e.market.accuracyDelta },
      { key: `${prefix}meanOverround`, value: e.market.meanOverround },
    );
  }
  return out;
}

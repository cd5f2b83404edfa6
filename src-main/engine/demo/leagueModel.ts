/**
 * The demo league's parameters, named once. Scales are log-runs: +0.05 means about 5% more runs.
 * Values were picked so the league looks like MLB: ~4.5 runs per team-game with a standard deviation
 * near 3.1, home teams winning ~54%, favourites ~58-60% against the closing line.
 */
export const LEAGUE = {
  baseRuns: 4.3,
  /** Negative-binomial dispersion of a team's runs (variance = mean + mean²/r). */
  runDispersion: 4,
  homeAdvantage: 0.1,
  teamSd: 0.08,
  teamCarryOver: 0.7,
  teamNewSeasonSd: 0.06,
  teamDailyDriftSd: 0.004,
  parkSd: 0.05,
  pitcherSd: 0.12,
  pitcherKeep: 0.7,
  pitcherDriftSd: 0.05,
  /** A starter on fewer than this many days of rest pitches worse. */
  normalRestDays: 4,
  shortRestPenaltyPerDay: 0.06,
  rotationSize: 5,
  /** Bookmaker: noise of its view of the truth (logit scale) at the open and at the close. */
  bookOpenNoise: 0.2,
  bookCloseNoise: 0.1,
  /** Overround on every two-way market. */
  vig: 0.04,
  /** Planted inefficiency: the book overrates a team on a winning streak of at least this length... */
  streakThreshold: 4,
  /** ...by this much on the logit scale. */
  streakBias: 0.25,
  /** Planted scoring shift: runs scale by this factor from July 1 of the middle season... */
  scoringShift: 1.08,
  /** ...and the book's totals ignore it for this many days. */
  bookTotalsLagDays: 45,
} as const;

export const logit = (p: number) => Math.log(p / (1 - p));
export const invLogit = (x: number) => 1 / (1 + Math.exp(-x));

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf), accurate to ~1e-7: enough for pricing. */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** Home win and home margin probabilities from expected runs, by a normal approximation of the run difference. */
export function marginProbabilities(lambdaHome: number, lambdaAway: number): { homeWin: number; homeCover: (spread: number) => number } {
  const mu = lambdaHome - lambdaAway;
  const sd = Math.sqrt(lambdaHome + lambdaAway + (lambdaHome ** 2 + lambdaAway ** 2) / LEAGUE.runDispersion);
  return { homeWin: normalCdf(mu / sd), homeCover: (spread: number) => normalCdf((mu + spread) / sd) };
}

import { inputError } from '../../../src-main/shared/errors';
import { decide, HOME, NO_BET, type Strategy } from '../backtest/strategies';
import { checkBinary, LOG_LOSS_EPSILON } from '../metrics/classification';
import { bootstrap } from '../stats/bootstrap';
import { decimal, digitsApart, percent, whole } from '../validation/format';

/**
 * Champion against challenger on the same settled games, both out of sample, and the probation check after
 * a promotion. "Better" needs three things at once: enough games, a relative improvement above the policy's
 * threshold, and a paired bootstrap interval of the per-game improvement that excludes zero, so a lucky
 * week on a handful of games never deploys a model. Pairing (resampling games, not each model separately)
 * cancels the game-to-game difficulty both models share, which is what makes a small real gain detectable.
 */

export type ComparisonMetric = 'logLoss' | 'roi' | 'accuracy';

export interface PairedSample {
  /** 1 home win / 0, one per game, the same games for both models. */
  y: ArrayLike<number>;
  /** P(home win) of the current production model. */
  champion: ArrayLike<number>;
  /** P(home win) of the challenger. */
  challenger: ArrayLike<number>;
  /** Decimal odds available when predicted (NaN when none); needed for roi. */
  priceHome?: ArrayLike<number>;
  priceAway?: ArrayLike<number>;
}

export interface ComparisonResult {
  metric: ComparisonMetric;
  /** Games compared (for roi: games either model bets). */
  n: number;
  /** The metric of each model on the sample. */
  champion: number | null;
  challenger: number | null;
  /** Relative improvement of the challenger (positive = better): (champ − chall)/champ for log loss; (chall − champ)/|champ| (roi: over 1 + champ ROI) for the others. */
  relativeImprovement: number | null;
  /** Paired bootstrap percentile interval (ciLevel) of the per-game improvement's mean, oriented so > 0 favours the challenger. */
  ci: [number | null, number | null];
  /** ci[0] > 0. */
  significant: boolean;
  /** relativeImprovement > minImprovement AND significant AND n ≥ minGames. */
  better: boolean;
  /** One sentence a person reads in the history: both figures, the threshold, the interval. */
  explanation: string;
}

export interface ComparisonOptions {
  metric: ComparisonMetric;
  minImprovement: number;
  ciLevel: number;
  resamples: number;
  minGames: number;
  seed: number;
}

/** ROI bets: one unit on a side with positive edge (p·decimal > 1), as the backtest's edge strategy at edge 0. */
const POSITIVE_EDGE: Strategy = { kind: 'edge', stake: 1, edge: 0 };

const METRIC_NAMES: Record<ComparisonMetric, string> = { logLoss: 'log loss', accuracy: 'accuracy', roi: 'ROI' };

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Per-game log loss, clipped as metrics/classification clips it. */
function gameLogLoss(y: number, p: number): number {
  const q = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, p));
  return y === 1 ? -Math.log(q) : -Math.log(1 - q);
}

const hit = (y: number, p: number): number => ((p >= 0.5 ? 1 : 0) === y ? 1 : 0);

function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
}

function checkPrices(prices: ArrayLike<number> | undefined, side: 'priceHome' | 'priceAway', n: number): ArrayLike<number> {
  if (!prices)
    throw inputError('COMPARISON_NO_PRICES', `an ROI comparison needs the decimal odds of both sides: ${side} is missing`, { side });
  if (prices.length !== n)
    throw inputError('COMPARISON_LENGTH_MISMATCH', `${side} has ${prices.length} prices for ${n} games`, {
      side,
      prices: prices.length,
      games: n,
    });
  for (let i = 0; i < n; i++) {
    const d = prices[i];
    if (!Number.isNaN(d) && !(d > 1 && Number.isFinite(d)))
      throw inputError(
        'COMPARISON_BAD_PRICE',
        `${side} at game ${i} is ${d}: decimal odds are greater than 1, or NaN when there was no price`,
        {
          side,
          row: i,
          value: d,
        },
      );
  }
  return prices;
}

/** One flat unit per positive-edge game: the profit of each game (0 without a bet) and how many bets. */
function flatEdgeProfits(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  dHome: ArrayLike<number>,
  dAway: ArrayLike<number>,
): { profit: Float64Array; bet: Uint8Array; bets: number } {
  const n = y.length;
  const profit = new Float64Array(n);
  const bet = new Uint8Array(n);
  const out = { side: NO_BET, stake: 0 };
  let bets = 0;
  for (let i = 0; i < n; i++) {
    decide(POSITIVE_EDGE, p[i], dHome[i], dAway[i], out);
    if (out.side === NO_BET) continue;
    const won = out.side === HOME ? y[i] === 1 : y[i] === 0;
    const d = out.side === HOME ? dHome[i] : dAway[i];
    profit[i] = won ? out.stake * (d - 1) : -out.stake;
    bet[i] = 1;
    bets++;
  }
  return { profit, bet, bets };
}

interface Paired {
  n: number;
  champion: number | null;
  challenger: number | null;
  relative: number | null;
  /** Per-game improvement, positive favours the challenger; its mean is what the interval is about. */
  diffs: Float64Array;
  /** The sample described for the explanation ("on 412 games", with bet counts for ROI). */
  sampleText: string;
}

function pairLogLoss(y: ArrayLike<number>, champ: ArrayLike<number>, chall: ArrayLike<number>): Paired {
  const n = y.length;
  const diffs = new Float64Array(n);
  let lc = 0;
  let lx = 0;
  for (let i = 0; i < n; i++) {
    const a = gameLogLoss(y[i], champ[i]);
    const b = gameLogLoss(y[i], chall[i]);
    lc += a;
    lx += b;
    diffs[i] = a - b;
  }
  const champion = n ? lc / n : null;
  const challenger = n ? lx / n : null;
  const relative = champion !== null && challenger !== null && champion > 0 ? (champion - challenger) / champion : null;
  return { n, champion, challenger, relative, diffs, sampleText: `on ${whole(n)} games` };
}

function pairAccuracy(y: ArrayLike<number>, champ: ArrayLike<number>, chall: ArrayLike<number>): Paired {
  const n = y.length;
  const diffs = new Float64Array(n);
  let hc = 0;
  let hx = 0;
  for (let i = 0; i < n; i++) {
    const a = hit(y[i], champ[i]);
    const b = hit(y[i], chall[i]);
    hc += a;
    hx += b;
    diffs[i] = b - a;
  }
  const champion = n ? hc / n : null;
  const challenger = n ? hx / n : null;
  const relative = champion !== null && challenger !== null && champion !== 0 ? (challenger - champion) / Math.abs(champion) : null;
  return { n, champion, challenger, relative, diffs, sampleText: `on ${whole(n)} games` };
}

/**
 * ROI on the games either model bets: a game only one model bets counts as 0 profit for the other, so the
 * per-game profit difference is paired on one common set of games. The relative change is taken on the
 * gross return per unit staked (1 + ROI), as performanceDrift does, because ROI sits near zero and changes sign.
 */
function pairRoi(sample: PairedSample, y: ArrayLike<number>): Paired {
  const n0 = y.length;
  const dHome = checkPrices(sample.priceHome, 'priceHome', n0);
  const dAway = checkPrices(sample.priceAway, 'priceAway', n0);
  const c = flatEdgeProfits(y, sample.champion, dHome, dAway);
  const x = flatEdgeProfits(y, sample.challenger, dHome, dAway);
  const keep: number[] = [];
  for (let i = 0; i < n0; i++) if (c.bet[i] || x.bet[i]) keep.push(i);
  const diffs = Float64Array.from(keep, (i) => x.profit[i] - c.profit[i]);
  // Flat one-unit stakes: the stake of a model is its number of bets.
  const champion = c.bets ? sum(c.profit) / c.bets : null;
  const challenger = x.bets ? sum(x.profit) / x.bets : null;
  const relative = champion !== null && challenger !== null && 1 + champion > 0 ? (challenger - champion) / (1 + champion) : null;
  return {
    n: keep.length,
    champion,
    challenger,
    relative,
    diffs,
    sampleText: `on ${whole(keep.length)} games either model bet (${whole(x.bets)} challenger and ${whole(c.bets)} champion bets)`,
  };
}

function mean(xs: Float64Array, ix: Int32Array): number {
  let s = 0;
  for (let k = 0; k < ix.length; k++) s += xs[ix[k]];
  return s / ix.length;
}

function metricText(metric: ComparisonMetric, v: number | null): string {
  if (v === null) return 'n/a';
  if (metric === 'logLoss') return decimal(v, 4);
  return percent(v, { signed: metric === 'roi' });
}

/** The interval in the per-game unit of the metric: log loss, share of games, units of profit. */
function intervalText(metric: ComparisonMetric, ci: [number | null, number | null]): string {
  const [lo, hi] = ci;
  if (lo === null || hi === null) return 'no interval';
  const one = (v: number) => (metric === 'accuracy' ? percent(v, { signed: true }) : decimal(v, 4, true));
  const unit = metric === 'roi' ? ' units per game' : metric === 'accuracy' ? ' of games' : '';
  return `[${one(lo)}, ${one(hi)}]${unit}`;
}

/**
 * Compares the production model (champion) with a challenger on the same games. The per-game improvement
 * (champion loss − challenger loss, challenger hit − champion hit, challenger profit − champion profit) is
 * resampled by game with a seeded percentile bootstrap; `better` needs n ≥ minGames, a relative
 * improvement strictly above minImprovement, and the interval's lower end strictly above zero.
 */
export function compareChampionChallenger(sample: PairedSample, options: ComparisonOptions): ComparisonResult {
  const { y, champion: champ, challenger: chall } = sample;
  if (champ.length !== y.length || chall.length !== y.length)
    throw inputError(
      'COMPARISON_LENGTH_MISMATCH',
      `champion and challenger must score the same games: ${y.length} outcomes, ${champ.length} champion and ${chall.length} challenger probabilities`,
      { games: y.length, champion: champ.length, challenger: chall.length },
    );
  if (y.length > 0) {
    checkBinary(y, champ, 'champion');
    checkBinary(y, chall, 'challenger');
  }
  const { metric, minImprovement, ciLevel, resamples, minGames, seed } = options;
  const paired =
    metric === 'logLoss' ? pairLogLoss(y, champ, chall) : metric === 'accuracy' ? pairAccuracy(y, champ, chall) : pairRoi(sample, y);

  let ci: [number | null, number | null] = [null, null];
  if (paired.n > 0) {
    const b = bootstrap(paired.n, (ix) => mean(paired.diffs, ix), { resamples, confidence: ciLevel, seed });
    ci = [finiteOrNull(b.ci[0]), finiteOrNull(b.ci[1])];
  }
  const significant = ci[0] !== null && ci[0] > 0;
  const enough = paired.n >= minGames;
  const above = paired.relative !== null && paired.relative > minImprovement;
  const better = enough && above && significant;

  const name = METRIC_NAMES[metric];
  const rel = paired.relative;
  const relDigits = rel === null ? 1 : digitsApart(rel, minImprovement, 1, 100);
  const relText =
    rel === null
      ? 'no relative change can be computed'
      : `${percent(Math.abs(rel), { digits: relDigits })} ${rel >= 0 ? 'better' : 'worse'}, ${above ? 'above' : 'not above'} the ${percent(minImprovement, { digits: relDigits })} required`;
  const ciText = `the ${percent(ciLevel, { digits: ciLevel * 100 === Math.round(ciLevel * 100) ? 0 : 1 })} interval of the per-game improvement is ${intervalText(metric, ci)}${
    ci[0] === null ? '' : significant ? ', above 0' : ', which reaches 0'
  }`;
  const missing: string[] = [];
  if (!enough) missing.push(`fewer than the ${whole(minGames)} games required`);
  if (!above) missing.push('improvement below the threshold');
  if (!significant) missing.push('not distinguishable from noise');
  const verdict = better ? 'the challenger is better' : `the challenger is not better (${missing.join('; ')})`;
  const explanation = `Challenger ${name} ${metricText(metric, paired.challenger)} against the champion's ${metricText(metric, paired.champion)} ${paired.sampleText}: ${relText}; ${ciText} — ${verdict}.`;

  return {
    metric,
    n: paired.n,
    champion: paired.champion,
    challenger: paired.challenger,
    relativeImprovement: rel,
    ci,
    significant,
    better,
    explanation,
  };
}

export interface ProbationResult {
  n: number;
  current: number | null;
  previous: number | null;
  relativeWorse: number | null;
  rollback: boolean;
  explanation: string;
}

/**
 * During probation both the new production model (current) and the one it replaced (previous) score every
 * game: log loss of each; rollback when current is worse by more than maxRelativeWorse on at least minGames games.
 */
export function judgeProbation(
  sample: { y: ArrayLike<number>; current: ArrayLike<number>; previous: ArrayLike<number> },
  options: { maxRelativeWorse: number; minGames: number },
): ProbationResult {
  const { y, current, previous } = sample;
  if (current.length !== y.length || previous.length !== y.length)
    throw inputError(
      'PROBATION_LENGTH_MISMATCH',
      `the current and previous models must score the same games: ${y.length} outcomes, ${current.length} current and ${previous.length} previous probabilities`,
      { games: y.length, current: current.length, previous: previous.length },
    );
  const n = y.length;
  if (n > 0) {
    checkBinary(y, current, 'current model');
    checkBinary(y, previous, 'previous model');
  }
  let lc = 0;
  let lp = 0;
  for (let i = 0; i < n; i++) {
    lc += gameLogLoss(y[i], current[i]);
    lp += gameLogLoss(y[i], previous[i]);
  }
  const cur = n ? lc / n : null;
  const prev = n ? lp / n : null;
  const relativeWorse = cur !== null && prev !== null && prev > 0 ? (cur - prev) / prev : null;
  const enough = n >= options.minGames;
  const beyond = relativeWorse !== null && relativeWorse > options.maxRelativeWorse;
  const rollback = enough && beyond;

  const digits = relativeWorse === null ? 1 : digitsApart(relativeWorse, options.maxRelativeWorse, 1, 100);
  const limit = percent(options.maxRelativeWorse, { digits });
  const change =
    relativeWorse === null
      ? 'no games to compare'
      : `${percent(Math.abs(relativeWorse), { digits })} ${relativeWorse > 0 ? 'worse' : 'better'} (limit: ${limit} worse)`;
  const verdict = rollback
    ? 'roll back to the previous model'
    : !enough
      ? `keep it: fewer than the ${whole(options.minGames)} games required to judge`
      : 'keep it';
  const explanation =
    n === 0
      ? `No settled games in probation yet: keep the current model until ${whole(options.minGames)} games are settled.`
      : `Current model log loss ${decimal(cur as number, 4)} against the previous model's ${decimal(prev as number, 4)} on the same ${whole(n)} games: ${change} — ${verdict}.`;
  return { n, current: cur, previous: prev, relativeWorse, rollback, explanation };
}

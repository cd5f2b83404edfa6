import { z } from 'zod';
import { inputError, validationError } from '../../../src-main/shared/errors';
import { oddsSides, type OddsSide } from '../../../src-main/shared/vocabulary';
import { civilFromDays, toDayNumbers } from '../cv/dayNumbers';
import { bootstrapOptionsSchema, bootstrapRoi } from '../stats/bootstrap';
import { sharpeRatio, sortinoRatio } from '../stats/moments';
import { BreakdownAccumulator, type Breakdowns, oddsBucketIndex, oddsBucketOrder } from './breakdowns';
import { drawdownSeries, longestLosingStreak } from './performance';
import { HOME, NO_BET, type Strategy, type StrategyInput, decide, probabilityColumn, strategySchema } from './strategies';

/** Days with MLB games in a regular season (about 183): the periods per year that annualize daily Sharpe and Sortino. */
export const MLB_GAME_DAYS_PER_YEAR = 183;

/** The games of a backtest, one row per game; prices are decimal odds (NaN where missing). */
export interface BacktestGames {
  dates: readonly string[] | ArrayLike<number>;
  seasons?: ArrayLike<number>;
  /** 1 home won, 0 away won, NaN no result (the bet is void). */
  homeWin: ArrayLike<number>;
  /** Out-of-sample model probability of a home win (model strategies). */
  pHome?: ArrayLike<number>;
  /** Elo probability of a home win (the 'elo' baseline). */
  pEloHome?: ArrayLike<number>;
  openHome?: ArrayLike<number>;
  openAway?: ArrayLike<number>;
  closeHome: ArrayLike<number>;
  closeAway: ArrayLike<number>;
}

export const backtestOptionsSchema = z.object({
  price: z.enum(oddsSides).default('close'),
  /** Units; a flat stake of 1 is then 1% of the starting bankroll. */
  initialBankroll: z.number().positive().default(100),
  periodsPerYear: z.number().positive().default(MLB_GAME_DAYS_PER_YEAR),
  /** Bootstrap settings for roiCi and roiPValue; false skips it. */
  bootstrap: z.union([bootstrapOptionsSchema, z.literal(false)]).default({ resamples: 2000, confidence: 0.95, seed: 1, blockLength: 1 }),
});
export type BacktestOptions = z.input<typeof backtestOptionsSchema>;

/** Settled bets in order, one entry per bet (columns). */
export interface BetLedger {
  game: Int32Array;
  day: Int32Array;
  side: Uint8Array;
  stake: Float64Array;
  odds: Float64Array;
  won: Uint8Array;
  profit: Float64Array;
  /** Expected return of the bet at the vig-free closing probability (NaN unless betting at open). */
  clv: Float64Array;
}

/**
 * One entry per game day: profit, bankroll after the day, the day's return (on the day-start bankroll for Kelly,
 * on the initial bankroll for flat stakes, which do not compound) and the drawdown from the peak.
 */
export interface DailySeries {
  day: Int32Array;
  profit: Float64Array;
  equity: Float64Array;
  returns: Float64Array;
  drawdown: Float64Array;
}

export interface BacktestMetrics {
  bets: number;
  wins: number;
  /** Bets on games without a result: stake returned, not counted in bets. */
  voids: number;
  /** Games the strategy could not price (a missing price at the chosen odds). */
  unpriced: number;
  hitRate: number;
  staked: number;
  profit: number;
  roi: number;
  roiCi: [number, number] | null;
  roiPValue: number | null;
  /** Annualized (× √periodsPerYear) Sharpe of daily returns. */
  sharpe: number;
  sortino: number;
  /** Per-day Sharpe, the input of the deflated Sharpe ratio. */
  sharpeDaily: number;
  /** Largest fall from a peak as a fraction of that peak. */
  maxDrawdown: number;
  /** The same fall in units of stake (the bankroll starts at initialBankroll units). */
  maxDrawdownUnits: number;
  longestLosingStreak: number;
  clv: number | null;
  finalBankroll: number;
  days: number;
}

export interface BacktestResult {
  strategy: Strategy;
  price: OddsSide;
  metrics: BacktestMetrics;
  ledger: BetLedger;
  daily: DailySeries;
  breakdowns: Breakdowns;
}

const SIDE_LABEL = ['home', 'away'] as const;

/** Bets one strategy over the games in date order, settles each day, and measures the result. */
export function runBacktest(games: BacktestGames, strategyInput: StrategyInput, options: BacktestOptions = {}): BacktestResult {
  const sp = strategySchema.safeParse(strategyInput);
  if (!sp.success) throw validationError('runBacktest.strategy', sp.error);
  const op = backtestOptionsSchema.safeParse(options);
  if (!op.success) throw validationError('runBacktest.options', op.error);
  const strategy = sp.data;
  const o = op.data;
  const n = games.homeWin.length;
  const days = toDayNumbers(games.dates);
  const probName = probabilityColumn(strategy.kind);
  const prob = probName ? games[probName] : undefined;
  if (probName && !prob)
    throw inputError('BACKTEST_MISSING_COLUMN', `strategy '${strategy.kind}' needs the ${probName} column`, {
      strategy: strategy.kind,
      column: probName,
    });
  const priceHome = o.price === 'open' ? games.openHome : games.closeHome;
  const priceAway = o.price === 'open' ? games.openAway : games.closeAway;
  if (!priceHome || !priceAway)
    throw inputError('BACKTEST_MISSING_COLUMN', `betting at ${o.price} needs the ${o.price}Home and ${o.price}Away columns`, {
      price: o.price,
    });
  const columns: [string, ArrayLike<number> | undefined][] = [
    ['dates', days],
    ['seasons', games.seasons],
    ['pHome', games.pHome],
    ['pEloHome', games.pEloHome],
    ['openHome', games.openHome],
    ['openAway', games.openAway],
    ['closeHome', games.closeHome],
    ['closeAway', games.closeAway],
  ];
  for (const [name, col] of columns) {
    if (col && col.length !== n)
      throw inputError('BACKTEST_LENGTH_MISMATCH', `${name} has ${col.length} values for ${n} games`, {
        column: name,
        expected: n,
        actual: col.length,
      });
  }
  const withClv = o.price === 'open';

  const order = dateOrder(days);
  const ledger: BetLedger = {
    game: new Int32Array(n),
    day: new Int32Array(n),
    side: new Uint8Array(n),
    stake: new Float64Array(n),
    odds: new Float64Array(n),
    won: new Uint8Array(n),
    profit: new Float64Array(n),
    clv: new Float64Array(n),
  };
  const dayList: number[] = [];
  const dayProfit: number[] = [];
  const dayEquity: number[] = [];
  const dayReturn: number[] = [];
  const choice = { side: NO_BET, stake: 0 };
  const fractional = strategy.kind === 'kelly';
  let bankroll = o.initialBankroll;
  let bets = 0;
  let voids = 0;
  let unpriced = 0;
  let k = 0;
  while (k < n) {
    const day = days[order[k]];
    const startBankroll = bankroll;
    let profitToday = 0;
    for (; k < n && days[order[k]] === day; k++) {
      const g = order[k];
      const dH = priceHome[g];
      const dA = priceAway[g];
      if (!(dH > 1 && dA > 1)) {
        unpriced++;
        continue;
      }
      decide(strategy, prob ? prob[g] : Number.NaN, dH, dA, choice);
      if (choice.side === NO_BET) continue;
      const stake = fractional ? choice.stake * startBankroll : choice.stake;
      if (!(stake > 0)) continue; // a Kelly bankroll that is gone bets nothing
      const result = games.homeWin[g];
      if (result !== 0 && result !== 1) {
        voids++;
        continue;
      }
      const d = choice.side === HOME ? dH : dA;
      const won = (choice.side === HOME) === (result === 1);
      const profit = won ? stake * (d - 1) : -stake;
      profitToday += profit;
      ledger.game[bets] = g;
      ledger.day[bets] = day;
      ledger.side[bets] = choice.side;
      ledger.stake[bets] = stake;
      ledger.odds[bets] = d;
      ledger.won[bets] = won ? 1 : 0;
      ledger.profit[bets] = profit;
      ledger.clv[bets] = withClv ? closingValue(d, choice.side, games.closeHome[g], games.closeAway[g]) : Number.NaN;
      bets++;
    }
    bankroll += profitToday;
    dayList.push(day);
    dayProfit.push(profitToday);
    dayEquity.push(bankroll);
    // Kelly compounds, so its return is on the day's bankroll; flat stakes do not, so theirs is on the fixed starting bankroll.
    dayReturn.push(fractional ? (startBankroll > 0 ? profitToday / startBankroll : 0) : profitToday / o.initialBankroll);
  }
  const trimmed: BetLedger = {
    game: ledger.game.slice(0, bets),
    day: ledger.day.slice(0, bets),
    side: ledger.side.slice(0, bets),
    stake: ledger.stake.slice(0, bets),
    odds: ledger.odds.slice(0, bets),
    won: ledger.won.slice(0, bets),
    profit: ledger.profit.slice(0, bets),
    clv: ledger.clv.slice(0, bets),
  };
  const equity = Float64Array.from(dayEquity);
  const returns = Float64Array.from(dayReturn);
  const { drawdown, maxDrawdown, maxDrawdownUnits } = drawdownSeries(equity, o.initialBankroll);
  const daily: DailySeries = { day: Int32Array.from(dayList), profit: Float64Array.from(dayProfit), equity, returns, drawdown };

  let wins = 0;
  let staked = 0;
  let profit = 0;
  let clvSum = 0;
  let clvCount = 0;
  for (let b = 0; b < bets; b++) {
    wins += trimmed.won[b];
    staked += trimmed.stake[b];
    profit += trimmed.profit[b];
    if (!Number.isNaN(trimmed.clv[b])) {
      clvSum += trimmed.clv[b];
      clvCount++;
    }
  }
  const roi = staked > 0 ? profit / staked : 0;
  const ci = o.bootstrap !== false && bets >= 2 ? bootstrapRoi(trimmed.profit, trimmed.stake, o.bootstrap) : null;
  const sharpeDaily = sharpeRatio(returns);
  const annual = Math.sqrt(o.periodsPerYear);
  const metrics: BacktestMetrics = {
    bets,
    wins,
    voids,
    unpriced,
    hitRate: bets ? wins / bets : 0,
    staked,
    profit,
    roi,
    roiCi: ci ? ci.roiCi : null,
    roiPValue: ci ? ci.roiPValue : null,
    sharpe: sharpeDaily * annual,
    sortino: sortinoRatio(returns) * annual,
    sharpeDaily,
    maxDrawdown,
    maxDrawdownUnits,
    longestLosingStreak: longestLosingStreak(trimmed.won),
    clv: clvCount ? clvSum / clvCount : null,
    finalBankroll: bankroll,
    days: dayList.length,
  };
  return { strategy, price: o.price, metrics, ledger: trimmed, daily, breakdowns: breakdownsOf(trimmed, games, priceHome, priceAway) };
}

/** Expected return of a bet at decimal odds d if the vig-free closing line is the true probability: p_close · d − 1. */
export function closingValue(d: number, side: number, closeHome: number, closeAway: number): number {
  if (!(closeHome > 1 && closeAway > 1)) return Number.NaN;
  const ih = 1 / closeHome;
  const ia = 1 / closeAway;
  const fair = side === HOME ? ih / (ih + ia) : ia / (ih + ia);
  return fair * d - 1;
}

/** Row indices by (day, row); skips the sort when the rows already come in date order. */
function dateOrder(days: Int32Array): Int32Array {
  const order = new Int32Array(days.length);
  let sorted = true;
  for (let i = 0; i < days.length; i++) {
    order[i] = i;
    if (i > 0 && days[i] < days[i - 1]) sorted = false;
  }
  if (!sorted) order.sort((a, b) => days[a] - days[b] || a - b);
  return order;
}

const ROLE_LABEL = ['favorite', 'underdog', 'pickem'] as const;

function breakdownsOf(ledger: BetLedger, games: BacktestGames, priceHome: ArrayLike<number>, priceAway: ArrayLike<number>): Breakdowns {
  const season = new BreakdownAccumulator();
  const month = new BreakdownAccumulator();
  const side = new BreakdownAccumulator();
  const role = new BreakdownAccumulator();
  const bucket = new BreakdownAccumulator();
  let lastDay = Number.NaN;
  let civil = { year: 0, month: 0, day: 0 };
  for (let b = 0; b < ledger.game.length; b++) {
    const g = ledger.game[b];
    const won = ledger.won[b] === 1;
    const stake = ledger.stake[b];
    const profit = ledger.profit[b];
    const d = ledger.odds[b];
    const other = ledger.side[b] === HOME ? priceAway[g] : priceHome[g];
    if (ledger.day[b] !== lastDay) {
      lastDay = ledger.day[b];
      civil = civilFromDays(lastDay);
    }
    season.add(games.seasons ? games.seasons[g] : civil.year, won, stake, profit);
    month.add(civil.month, won, stake, profit);
    side.add(ledger.side[b], won, stake, profit);
    role.add(d < other ? 0 : d > other ? 1 : 2, won, stake, profit);
    bucket.add(oddsBucketIndex(d), won, stake, profit);
  }
  const buckets = oddsBucketOrder();
  return {
    season: season.rows(String),
    month: month.rows((m) => String(m).padStart(2, '0')),
    side: side.rows((s) => SIDE_LABEL[s]),
    role: role.rows((r) => ROLE_LABEL[r]),
    oddsBucket: bucket.rows((i) => buckets[i]),
  };
}

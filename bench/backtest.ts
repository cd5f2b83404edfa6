/**
 * Backtest throughput: bets per second of runBacktest (typed arrays, one pass per day) against a naive
 * object-per-game implementation of the same strategy and metrics, side by side in one run, on 100k
 * synthetic games. Run: `npx tsx bench/backtest.ts` (or `npm run bench -- backtest`).
 */
import { execSync } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BacktestGames, runBacktest } from '../src-workers/compute/backtest';
import { dayToIso, isoToDay } from '../src-workers/compute/cv';
import { createRng } from '../src-workers/compute/stats';

const GAMES = 100_000;
const GAMES_PER_DAY = 15;
const DAYS_PER_SEASON = 183;
const RUNS = 7;
const OVERROUND = 1.02;

interface NaiveGame {
  date: string;
  season: number;
  homeWin: number;
  pHome: number;
  closeHome: number;
  closeAway: number;
}

function synthesize(): { columns: BacktestGames & { dates: string[] }; objects: NaiveGame[] } {
  const rng = createRng(2016);
  const dates: string[] = [];
  const seasons = new Int32Array(GAMES);
  const homeWin = new Float64Array(GAMES);
  const pHome = new Float64Array(GAMES);
  const closeHome = new Float64Array(GAMES);
  const closeAway = new Float64Array(GAMES);
  const objects: NaiveGame[] = [];
  for (let i = 0; i < GAMES; i++) {
    const gameDay = Math.floor(i / GAMES_PER_DAY);
    const season = 1980 + Math.floor(gameDay / DAYS_PER_SEASON);
    const date = dayToIso(isoToDay(`${season}-04-01`) + (gameDay % DAYS_PER_SEASON));
    const fair = 0.3 + 0.4 * rng.nextFloat();
    const won = rng.nextFloat() < fair ? 1 : 0;
    const p = Math.min(0.95, Math.max(0.05, fair + 0.06 * (rng.nextFloat() - 0.5)));
    dates.push(date);
    seasons[i] = season;
    homeWin[i] = won;
    pHome[i] = p;
    closeHome[i] = 1 / (fair * OVERROUND);
    closeAway[i] = 1 / ((1 - fair) * OVERROUND);
    objects.push({ date, season, homeWin: won, pHome: p, closeHome: closeHome[i], closeAway: closeAway[i] });
  }
  return { columns: { dates, seasons, homeWin, pHome, closeHome, closeAway }, objects };
}

/** The baseline: what one writes first — objects per bet, string dates, Maps keyed by strings, array methods. */
function naiveBacktest(games: NaiveGame[]) {
  const sorted = [...games].sort((a, b) => a.date.localeCompare(b.date));
  const bets = sorted.map((g) => {
    const side = g.pHome >= 0.5 ? 'home' : 'away';
    const odds = side === 'home' ? g.closeHome : g.closeAway;
    const other = side === 'home' ? g.closeAway : g.closeHome;
    const won = (side === 'home') === (g.homeWin === 1);
    const month = String(new Date(`${g.date}T00:00:00Z`).getUTCMonth() + 1).padStart(2, '0');
    return { date: g.date, season: String(g.season), month, side, odds, other, stake: 1, won, profit: won ? odds - 1 : -1 };
  });
  const byDay = new Map<string, number>();
  for (const b of bets) byDay.set(b.date, (byDay.get(b.date) ?? 0) + b.profit);
  let bank = 100;
  const daily = [...byDay.entries()].map(([date, profit]) => {
    const ret = profit / 100; // flat stakes do not compound
    bank += profit;
    return { date, profit, ret, equity: bank };
  });
  const rets = daily.map((d) => d.ret);
  const mean = rets.reduce((a, b) => a + b, 0) / rets.length;
  const sd = Math.sqrt(rets.reduce((a, r) => a + (r - mean) ** 2, 0) / (rets.length - 1));
  const down = Math.sqrt(rets.filter((r) => r < 0).reduce((a, r) => a + r * r, 0) / rets.length);
  let peak = 100;
  let maxDrawdown = 0;
  for (const d of daily) {
    peak = Math.max(peak, d.equity);
    maxDrawdown = Math.max(maxDrawdown, (peak - d.equity) / peak);
  }
  let run = 0;
  let streak = 0;
  for (const b of bets) {
    run = b.won ? 0 : run + 1;
    streak = Math.max(streak, run);
  }
  const group = (key: (b: (typeof bets)[number]) => string) => {
    const out: Record<string, { bets: number; wins: number; staked: number; profit: number }> = {};
    for (const b of bets) {
      const k = key(b);
      out[k] ??= { bets: 0, wins: 0, staked: 0, profit: 0 };
      out[k].bets++;
      out[k].wins += b.won ? 1 : 0;
      out[k].staked += b.stake;
      out[k].profit += b.profit;
    }
    return out;
  };
  const profit = bets.reduce((a, b) => a + b.profit, 0);
  const staked = bets.reduce((a, b) => a + b.stake, 0);
  return {
    bets: bets.length,
    profit,
    roi: profit / staked,
    sharpe: (mean / sd) * Math.sqrt(183),
    sortino: (mean / down) * Math.sqrt(183),
    maxDrawdown,
    streak,
    breakdowns: [
      group((b) => b.season),
      group((b) => b.month),
      group((b) => b.side),
      group((b) => (b.odds < b.other ? 'favorite' : 'underdog')),
      group((b) => (b.odds < 2 ? 'short' : 'long')),
    ],
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function timeIt(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function main(): void {
  const { columns, objects } = synthesize();
  // Same answer first: the comparison only means something if both sides compute the same backtest.
  const fast = runBacktest(columns, { kind: 'flat' }, { bootstrap: false });
  const slow = naiveBacktest(objects);
  if (
    fast.metrics.bets !== slow.bets ||
    Math.abs(fast.metrics.profit - slow.profit) > 1e-6 ||
    Math.abs(fast.metrics.sharpe - slow.sharpe) > 1e-9
  ) {
    throw new Error(
      `implementations disagree: ${JSON.stringify({ fast: fast.metrics, slow: { bets: slow.bets, profit: slow.profit, sharpe: slow.sharpe } })}`,
    );
  }
  const fastMs: number[] = [];
  const naiveMs: number[] = [];
  const kellyMs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    // Alternate sides so drift in machine load hits both alike.
    fastMs.push(timeIt(() => runBacktest(columns, { kind: 'flat' }, { bootstrap: false })));
    naiveMs.push(timeIt(() => naiveBacktest(objects)));
    kellyMs.push(timeIt(() => runBacktest(columns, { kind: 'kelly' }, { bootstrap: false })));
  }
  const bootMs = [0, 1, 2].map(() => timeIt(() => runBacktest(columns, { kind: 'flat' }, { bootstrap: { resamples: 1000, seed: 1 } })));
  const bets = fast.metrics.bets;
  const result = {
    benchmark: 'backtest',
    games: GAMES,
    bets,
    runs: RUNS,
    medianMs: { runBacktest: median(fastMs), naive: median(naiveMs), kelly: median(kellyMs), withBootstrap1000: median(bootMs) },
    betsPerSecond: { runBacktest: Math.round(bets / (median(fastMs) / 1000)), naive: Math.round(bets / (median(naiveMs) / 1000)) },
    ratio: +(median(naiveMs) / median(fastMs)).toFixed(2),
  };
  console.log(JSON.stringify(result, null, 2));

  const resultsPath = join(__dirname, 'RESULTS.md');
  if (!existsSync(resultsPath)) {
    writeFileSync(
      resultsPath,
      '# Benchmark results\n\n| date | commit | machine | benchmark | compared | medians | ratio |\n| --- | --- | --- | --- | --- | --- | --- |\n',
    );
  }
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: __dirname, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    // Not a git checkout (a packaged copy): the row still records everything else.
  }
  const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`;
  const m = result.medianMs;
  appendFileSync(
    resultsPath,
    `| ${new Date().toISOString().slice(0, 10)} | ${commit} | ${machine} | backtest | flat-stake backtest of ${GAMES / 1000}k games, runBacktest vs naive objects (${RUNS} runs each) | ` +
      `${m.runBacktest.toFixed(1)} ms (${(result.betsPerSecond.runBacktest / 1e6).toFixed(2)}M bets/s) vs ${m.naive.toFixed(1)} ms (${(result.betsPerSecond.naive / 1e6).toFixed(2)}M bets/s); kelly ${m.kelly.toFixed(1)} ms; +1000-resample ROI bootstrap ${m.withBootstrap1000.toFixed(0)} ms | ${result.ratio}× |\n`,
  );
}

main();

import { gameColumnIndex, emptyGameRow, makeGameId, type GameRow } from '../data/gameWriter';
import type { OddsRow } from '../data/oddsWriter';
import { pricesWithVig } from '../data/oddsMath';
import { demoTeams, DEMO_LEAGUES } from './demoTeams';
import { LEAGUE, invLogit, logit, marginProbabilities } from './leagueModel';
import { Rng } from './rng';
import { balancedSchedule } from './schedule';

export interface DemoOptions {
  seed: number;
  firstSeason: number;
  lastSeason: number;
  /** A small market inefficiency: the book overrates teams on winning streaks. */
  marketInefficiency: boolean;
  /** Runs scale up from July 1 of the middle season; the book's totals lag behind. */
  scoringShift: boolean;
}

export const DEMO_BOOK = 'demobook';
const DAY_MS = 86_400_000;
const OPENING_DAY = '04-01';
const DAY_GAME_SHARE = 0.3;
const EXTRA_INNING_RUN_FACTOR = 1.3;
const INNINGS = 9;

interface Pitcher {
  id: string;
  name: string;
  quality: number;
  lastStartDay: number;
}

interface TeamState {
  offense: number;
  defense: number;
  park: number;
  rotation: Pitcher[];
  next: number;
  streak: number;
  gameNo: number;
}

const isoDay = (season: number, day: number) =>
  new Date(Date.parse(`${season}-${OPENING_DAY}T00:00:00Z`) + day * DAY_MS).toISOString().slice(0, 10);
const weekday = (iso: string) => ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(`${iso}T00:00:00Z`).getUTCDay()];
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Generates the synthetic league: games with results and a bookmaker's opening and closing prices.
 * Pure and deterministic: the same options give the same rows, in the same order.
 */
export function generateLeague(
  opts: DemoOptions,
  onSeason?: (season: number, index: number, total: number) => void,
): { games: GameRow[]; odds: OddsRow[]; shiftDate: string | null } {
  const rng = new Rng(opts.seed);
  const seasons = opts.lastSeason - opts.firstSeason + 1;
  const shiftSeason = opts.firstSeason + Math.floor(seasons / 2);
  const shiftDate = opts.scoringShift ? `${shiftSeason}-07-01` : null;
  let pitcherSerial = 0;
  const newPitcher = (code: string): Pitcher => {
    pitcherSerial++;
    return {
      id: `syn${String(pitcherSerial).padStart(5, '0')}`,
      name: `${code} Starter ${pitcherSerial}`,
      quality: rng.normal(0, LEAGUE.pitcherSd),
      lastStartDay: -100,
    };
  };
  const teams: TeamState[] = demoTeams.map((t) => ({
    offense: rng.normal(0, LEAGUE.teamSd),
    defense: rng.normal(0, LEAGUE.teamSd),
    park: rng.normal(0, LEAGUE.parkSd),
    rotation: Array.from({ length: LEAGUE.rotationSize }, () => newPitcher(t.code)),
    next: 0,
    streak: 0,
    gameNo: 0,
  }));
  const games: GameRow[] = [];
  const odds: OddsRow[] = [];

  for (let s = 0; s < seasons; s++) {
    const season = opts.firstSeason + s;
    onSeason?.(season, s, seasons);
    teams.forEach((t, i) => {
      if (s > 0) {
        t.offense = LEAGUE.teamCarryOver * t.offense + rng.normal(0, LEAGUE.teamNewSeasonSd);
        t.defense = LEAGUE.teamCarryOver * t.defense + rng.normal(0, LEAGUE.teamNewSeasonSd);
        t.rotation = t.rotation.map((p) =>
          rng.uniform() < LEAGUE.pitcherKeep
            ? { ...p, quality: p.quality + rng.normal(0, LEAGUE.pitcherDriftSd), lastStartDay: -100 }
            : newPitcher(demoTeams[i].code),
        );
      }
      t.streak = 0;
      t.gameNo = 0;
      t.next = 0;
    });
    const { games: sched } = balancedSchedule(teams.length, rng);
    let currentDay = -1;
    for (const g of sched) {
      if (g.day !== currentDay) {
        for (const t of teams) {
          t.offense += rng.normal(0, LEAGUE.teamDailyDriftSd);
          t.defense += rng.normal(0, LEAGUE.teamDailyDriftSd);
        }
        currentDay = g.day;
      }
      const date = isoDay(season, g.day);
      const home = teams[g.home];
      const away = teams[g.away];
      const starter = (t: TeamState): { p: Pitcher; rest: number } => {
        const p = t.rotation[t.next % LEAGUE.rotationSize];
        t.next++;
        const rest = g.day - p.lastStartDay;
        p.lastStartDay = g.day;
        return { p, rest };
      };
      const hs = starter(home);
      const as = starter(away);
      const fatigue = (rest: number) => (rest < LEAGUE.normalRestDays ? (LEAGUE.normalRestDays - rest) * LEAGUE.shortRestPenaltyPerDay : 0);
      const shifted = shiftDate !== null && date >= shiftDate;
      const base = LEAGUE.baseRuns * (shifted ? LEAGUE.scoringShift : 1);
      const lh = base * Math.exp(home.offense - away.defense + as.p.quality + fatigue(as.rest) + home.park + LEAGUE.homeAdvantage / 2);
      const la = base * Math.exp(away.offense - home.defense + hs.p.quality + fatigue(hs.rest) + home.park - LEAGUE.homeAdvantage / 2);
      let hr = rng.negBinomial(lh, LEAGUE.runDispersion);
      let ar = rng.negBinomial(la, LEAGUE.runDispersion);
      let outs = hr > ar ? 51 : 54;
      while (hr === ar) {
        ar += rng.poisson((la / INNINGS) * EXTRA_INNING_RUN_FACTOR);
        hr += rng.poisson((lh / INNINGS) * EXTRA_INNING_RUN_FACTOR);
        outs += 6;
      }
      home.gameNo++;
      away.gameNo++;
      const homeCode = demoTeams[g.home].code;
      const awayCode = demoTeams[g.away].code;
      const gameId = makeGameId(homeCode, date, 0);
      const dayGame = rng.uniform() < DAY_GAME_SHARE;
      const start = `${date}T${dayGame ? '17:05' : '23:05'}:00.000Z`;

      // The bookmaker prices from a noisy view of the truth, before the game, with the planted bias.
      const truth = marginProbabilities(lh, la);
      const bias = opts.marketInefficiency
        ? (home.streak >= LEAGUE.streakThreshold ? LEAGUE.streakBias : 0) - (away.streak >= LEAGUE.streakThreshold ? LEAGUE.streakBias : 0)
        : 0;
      const pOpen = invLogit(logit(truth.homeWin) + bias + rng.normal(0, LEAGUE.bookOpenNoise));
      const pClose = invLogit(logit(truth.homeWin) + bias + rng.normal(0, LEAGUE.bookCloseNoise));
      const [ho, ao] = pricesWithVig(pOpen, LEAGUE.vig);
      const [hc, ac] = pricesWithVig(pClose, LEAGUE.vig);
      const openAt = new Date(Date.parse(start) - DAY_MS).toISOString();
      const closeAt = new Date(Date.parse(start) - 5 * 60_000).toISOString();
      odds.push({
        gameId,
        book: DEMO_BOOK,
        market: 'moneyline',
        capturedAt: openAt,
        homePrice: round3(ho),
        awayPrice: round3(ao),
        overPrice: null,
        underPrice: null,
        line: null,
        isOpen: true,
        isClose: false,
      });
      odds.push({
        gameId,
        book: DEMO_BOOK,
        market: 'moneyline',
        capturedAt: closeAt,
        homePrice: round3(hc),
        awayPrice: round3(ac),
        overPrice: null,
        underPrice: null,
        line: null,
        isOpen: false,
        isClose: true,
      });
      const bookSeesShift = shiftDate !== null && Date.parse(date) - Date.parse(shiftDate) >= LEAGUE.bookTotalsLagDays * DAY_MS;
      const bookScale = shifted && !bookSeesShift ? 1 / LEAGUE.scoringShift : 1;
      const total = Math.round((lh + la) * bookScale * Math.exp(rng.normal(0, 0.03)) * 2) / 2;
      const [op, up] = pricesWithVig(0.5, LEAGUE.vig);
      odds.push({
        gameId,
        book: DEMO_BOOK,
        market: 'total',
        capturedAt: closeAt,
        homePrice: null,
        awayPrice: null,
        overPrice: round3(op),
        underPrice: round3(up),
        line: total,
        isOpen: false,
        isClose: true,
      });
      const spread = pClose >= 0.5 ? -1.5 : 1.5;
      const cover = Math.min(0.95, Math.max(0.05, truth.homeCover(spread)));
      const [rh, ra] = pricesWithVig(cover, LEAGUE.vig);
      odds.push({
        gameId,
        book: DEMO_BOOK,
        market: 'runline',
        capturedAt: closeAt,
        homePrice: round3(rh),
        awayPrice: round3(ra),
        overPrice: null,
        underPrice: null,
        line: spread,
        isOpen: false,
        isClose: true,
      });

      const row = emptyGameRow();
      const set = (k: string, v: string | number | boolean | null) => (row[gameColumnIndex[k]] = v);
      set('game_id', gameId);
      set('date', date);
      set('game_number', 0);
      set('season', season);
      set('game_type', 'regular');
      set('status', 'final');
      set('start_time', start);
      set('day_of_week', weekday(date));
      set('away', awayCode);
      set('away_league', DEMO_LEAGUES[g.away < 15 ? 0 : 1]);
      set('away_game_no', away.gameNo);
      set('home', homeCode);
      set('home_league', DEMO_LEAGUES[g.home < 15 ? 0 : 1]);
      set('home_game_no', home.gameNo);
      set('away_score', ar);
      set('home_score', hr);
      set('outs', outs);
      set('day_night', dayGame ? 'D' : 'N');
      set('park_id', `${homeCode}01`);
      set('home_sp_id', hs.p.id);
      set('home_sp_name', hs.p.name);
      set('away_sp_id', as.p.id);
      set('away_sp_name', as.p.name);
      set('synthetic', true);
      set('source', `demo seed ${opts.seed}`);
      set('import_id', `demo-${opts.seed}`);
      games.push(row);

      const homeWon = hr > ar;
      home.streak = homeWon ? Math.max(1, home.streak + 1) : Math.min(-1, home.streak - 1);
      away.streak = homeWon ? Math.min(-1, away.streak - 1) : Math.max(1, away.streak + 1);
    }
  }
  return { games, odds, shiftDate };
}

import type { Rng } from './rng';

export interface ScheduledGame {
  /** Day index from the season's opening day. */
  day: number;
  home: number;
  away: number;
}

const SERIES_LENGTH = 3;
/** Rounds taken from one circle-method cycle; doubled with home and away swapped: 2 × 27 series × 3 = 162 games. */
const ROUNDS_PER_HALF = 27;
/** One league-wide off day after this many series, as real schedules have. */
const SERIES_BETWEEN_OFF_DAYS = 6;

/**
 * A balanced schedule for an even number of teams: every team plays 162 games, 81 at home and 81 away,
 * in three-game series. Built from the circle method (each round pairs every team once), so no team
 * ever plays twice on a day; rounds are shuffled so opponents are spread over the season.
 */
export function balancedSchedule(teamCount: number, rng: Rng): { games: ScheduledGame[]; days: number } {
  const n = teamCount;
  const rounds: [number, number][][] = [];
  const ring = Array.from({ length: n }, (_, i) => i);
  for (let r = 0; r < ROUNDS_PER_HALF; r++) {
    const pairs: [number, number][] = [];
    for (let i = 0; i < n / 2; i++) {
      const a = ring[i];
      const b = ring[n - 1 - i];
      // Alternate who hosts so each team's home count stays balanced within the half.
      pairs.push((r + i) % 2 === 0 ? [a, b] : [b, a]);
    }
    rounds.push(pairs);
    ring.splice(1, 0, ring.pop() as number);
  }
  const all = [...rounds, ...rounds.map((p) => p.map(([h, a]) => [a, h] as [number, number]))];
  rng.shuffle(all);
  const games: ScheduledGame[] = [];
  let day = 0;
  all.forEach((pairs, s) => {
    if (s > 0 && s % SERIES_BETWEEN_OFF_DAYS === 0) day++;
    for (let g = 0; g < SERIES_LENGTH; g++) {
      for (const [home, away] of pairs) games.push({ day, home, away });
      day++;
    }
  });
  return { games, days: day };
}

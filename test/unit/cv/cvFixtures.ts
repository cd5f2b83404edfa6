import { isoToDay } from '../../../src-workers/compute/cv';

/** A small MLB-like calendar: each season from early April to early October, one game day every `every` days. */
export function seasonCalendar(
  firstSeason: number,
  lastSeason: number,
  every = 1,
  gamesPerDay = 2,
): { dates: string[]; seasons: number[] } {
  const dates: string[] = [];
  const seasons: number[] = [];
  for (let s = firstSeason; s <= lastSeason; s++) {
    const start = isoToDay(`${s}-04-03`);
    const end = isoToDay(`${s}-10-02`);
    for (let d = start; d <= end; d += every) {
      for (let g = 0; g < gamesPerDay; g++) {
        dates.push(new Date(d * 86_400_000).toISOString().slice(0, 10));
        seasons.push(s);
      }
    }
  }
  return { dates, seasons };
}

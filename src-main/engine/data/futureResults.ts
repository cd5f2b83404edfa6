import { inputError, type BullpenError } from '../../shared/errors';

/** The first time zone to reach a date is UTC+14: until that zone's today, no game on a later date has been played. */
const EARLIEST_ZONE_MS = 14 * 3600_000;

/** The latest date on which a game can already have a result, anywhere on earth. */
export const latestPlayedDate = (now: Date = new Date()): string => new Date(now.getTime() + EARLIEST_ZONE_MS).toISOString().slice(0, 10);

/** A row dated after today that carries a final score: a typo in the date, or made-up data. */
export function futureResultError(file: string, line: number, gameId: string, date: string, today: string): BullpenError {
  return inputError(
    'FUTURE_RESULT',
    `${file} line ${line}: game ${gameId} is dated ${date}, after today (${today}), yet has a final score; a game not played yet has no result: fix the date, or leave the scores empty for a scheduled game; nothing was imported`,
    { file, line, field: 'date', value: date, gameId },
  );
}

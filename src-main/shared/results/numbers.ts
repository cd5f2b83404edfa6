import { z } from 'zod';

/**
 * A computed statistic as stored: JSON writes NaN and ±∞ as null (a Sharpe over one day, an AUC on
 * games of one class, a rate over no bets), so every reader sees null where the value is undefined.
 */
export const measured = z.number().nullable();

/** A count of games, bets, rows or folds. */
export const count = z.number().int().min(0);

/** An ISO date, `2016-04-03`. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are ISO, e.g. 2016-04-03');

/**
 * What a value becomes once written as JSON (NaN and ±∞ become null, undefined keys vanish): results
 * and artifacts are checked in this form, so what is checked is what every reader gets.
 */
export function asStored(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

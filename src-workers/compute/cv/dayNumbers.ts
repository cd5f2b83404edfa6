import { inputError } from '../../../src-main/shared/errors';

/** Day numbers are whole days since 1970-01-01 (UTC). */

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil): no Date objects on hot paths. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar date of a day number (inverse of daysFromCivil). */
export function civilFromDays(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const CHAR_0 = 48;

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - CHAR_0;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Converts an ISO date (or the date part of an ISO timestamp) to a UTC day number; throws an input error naming the value. */
export function isoToDay(iso: string): number {
  const y = digits(iso, 0, 4);
  const m = digits(iso, 5, 2);
  const d = digits(iso, 8, 2);
  const shapeOk =
    iso.length >= 10 && iso[4] === '-' && iso[7] === '-' && (iso.length === 10 || iso[10] === 'T') && y >= 0 && m >= 0 && d >= 0;
  if (!shapeOk) throw inputError('INVALID_DATE', `invalid date "${iso}": expected an ISO date like 2016-04-03`, { value: iso });
  if (m < 1 || m > 12 || d < 1 || d > DAYS_IN_MONTH[m - 1] || (m === 2 && d === 29 && !isLeap(y))) {
    throw inputError('INVALID_DATE', `invalid date "${iso}": no such calendar day`, { value: iso });
  }
  return daysFromCivil(y, m, d);
}

/** The ISO date (YYYY-MM-DD) of a UTC day number. */
export function dayToIso(day: number): string {
  const c = civilFromDays(day);
  return `${String(c.year).padStart(4, '0')}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`;
}

/** UTC calendar year of a day number: an MLB season lies within one calendar year. */
export function yearOfDay(day: number): number {
  return civilFromDays(day).year;
}

/** UTC calendar month (1–12) of a day number. */
export function monthOfDay(day: number): number {
  return civilFromDays(day).month;
}

/** Accepts game dates as ISO strings or day numbers and returns day numbers, so splitters work on integers only. */
export function toDayNumbers(dates: readonly string[] | ArrayLike<number>): Int32Array {
  const out = new Int32Array(dates.length);
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i];
    if (typeof d === 'string') out[i] = isoToDay(d);
    else {
      if (!Number.isInteger(d)) {
        throw inputError('INVALID_DATE', `invalid day number ${d} at row ${i}: expected whole days since 1970-01-01`, { row: i, value: d });
      }
      out[i] = d;
    }
  }
  return out;
}

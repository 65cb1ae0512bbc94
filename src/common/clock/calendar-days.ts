/** UTC calendar days as `YYYY-MM-DD` text: the one place that does day arithmetic on them. */

const MS_PER_DAY = 86_400_000;
const DAY_TEXT = /^\d{4}-\d{2}-\d{2}$/;

const startOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

/**
 * The years a day given as input (a game date, a query range) may fall in. Day arithmetic on
 * them (a range's end plus one, a range minus one) then stays within four-digit years, where
 * `Date` and `toISOString` give back `YYYY-MM-DD`; a year like 9999 would overflow into `+010000`.
 */
export const SUPPORTED_YEARS = { first: 2000, last: 2100 } as const;

/** What a refusal says (after the field's name). */
export const OUTSIDE_SUPPORTED_YEARS = `outside the supported years ${SUPPORTED_YEARS.first}-${SUPPORTED_YEARS.last}`;

/** Whether `text` is `YYYY-MM-DD` and a real calendar date (2026-02-30 is not). */
export function isCalendarDate(text: string): boolean {
  if (!DAY_TEXT.test(text)) return false;
  const ms = startOf(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(text);
}

/**
 * False only for a calendar date outside SUPPORTED_YEARS (malformed text is refused by the format
 * check, which names its own problem).
 */
export function isWithinSupportedYears(text: string): boolean {
  if (!isCalendarDate(text)) return true;
  const year = Number(text.slice(0, 4));
  return year >= SUPPORTED_YEARS.first && year <= SUPPORTED_YEARS.last;
}

/** The UTC day of an instant. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/** The day `days` after `day` (negative: before). */
export const addDays = (day: string, days: number): string =>
  utcDay(new Date(startOf(day) + days * MS_PER_DAY));

/** Whole days from `from` to `to` (0 for the same day). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((startOf(to) - startOf(from)) / MS_PER_DAY);

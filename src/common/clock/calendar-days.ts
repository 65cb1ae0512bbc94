/** UTC calendar days as `YYYY-MM-DD` text: the one place that does day arithmetic on them. */

const MS_PER_DAY = 86_400_000;
const DAY_TEXT = /^\d{4}-\d{2}-\d{2}$/;

const startOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Whether `text` is `YYYY-MM-DD` and a real calendar date (2026-02-30 is not). */
export function isCalendarDate(text: string): boolean {
  if (!DAY_TEXT.test(text)) return false;
  const ms = startOf(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(text);
}

/** The UTC day of an instant. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/** The day `days` after `day` (negative: before). */
export const addDays = (day: string, days: number): string =>
  utcDay(new Date(startOf(day) + days * MS_PER_DAY));

/** Whole days from `from` to `to` (0 for the same day). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((startOf(to) - startOf(from)) / MS_PER_DAY);

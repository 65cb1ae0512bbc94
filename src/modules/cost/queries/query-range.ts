import {
  addDays,
  daysBetween,
  isCalendarDate,
  isWithinSupportedYears,
  OUTSIDE_SUPPORTED_YEARS,
  utcDay,
} from '../../../common/clock/calendar-days.js';

/** Inclusive UTC days (`YYYY-MM-DD`) a named query covers; computed in the application. */
export interface QueryRange {
  from: string;
  to: string;
}

/** A range as a caller asked for it: a missing (undefined) end takes the query's default. */
export interface RangeInput {
  from?: string | undefined;
  to?: string | undefined;
}

const HOUR_MS = 3_600_000;
/** The widest range a named query accepts (the tables keep 90 days by default). */
export const MAX_RANGE_DAYS = 400;

/** The days of the last `hours` hours up to `now` (two days in the first hours after midnight). */
export const lastHours = (now: Date, hours: number): QueryRange => ({
  from: utcDay(new Date(now.getTime() - hours * HOUR_MS)),
  to: utcDay(now),
});

/** The last `days` UTC days, today included. */
export const lastDays = (now: Date, days: number): QueryRange => ({
  from: addDays(utcDay(now), -(days - 1)),
  to: utcDay(now),
});

export const rangeDays = (range: QueryRange) => daysBetween(range.from, range.to) + 1;

/**
 * A range is bad input when a day is malformed or outside the supported years, `from` is after
 * `to`, or it is too wide.
 */
export class InvalidQueryRangeError extends Error {}

export function checkRange(range: QueryRange, queryName: string): QueryRange {
  for (const [side, day] of Object.entries(range)) {
    if (!isCalendarDate(day)) {
      throw new InvalidQueryRangeError(
        `query ${queryName}: ${side}=${JSON.stringify(day)} is not a UTC day (YYYY-MM-DD)`,
      );
    }
    if (!isWithinSupportedYears(day)) {
      throw new InvalidQueryRangeError(
        `query ${queryName}: ${side}=${day} is ${OUTSIDE_SUPPORTED_YEARS}`,
      );
    }
  }
  if (range.from > range.to) {
    throw new InvalidQueryRangeError(
      `query ${queryName}: from=${range.from} is after to=${range.to}; swap them`,
    );
  }
  if (rangeDays(range) > MAX_RANGE_DAYS) {
    throw new InvalidQueryRangeError(
      `query ${queryName}: ${range.from}..${range.to} covers ${rangeDays(range)} days, more than ${MAX_RANGE_DAYS}; narrow it`,
    );
  }
  return range;
}

/**
 * The parameters every named query binds: the half-open timestamp window of its days
 * (`@from_time` inclusive, `@until_time` exclusive), TIMESTAMP-typed on BigQuery.
 */
export function rangeParams(range: QueryRange): { from_time: string; until_time: string } {
  return {
    from_time: `${range.from}T00:00:00.000Z`,
    until_time: `${addDays(range.to, 1)}T00:00:00.000Z`,
  };
}

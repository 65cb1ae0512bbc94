import { addDays } from '../../../common/clock/calendar-days.js';
import {
  GAME_SCHEDULE_TIME_ZONE,
  type GameDates,
  type ScheduleRow,
} from './game-schedule-rows.port.js';
import { formatMinuteOfDay, localTime } from '../local-time.js';
import type { GamesOnDate } from './game-schedule.port.js';

const MS_PER_MINUTE = 60_000;
const WITH_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;
const WALL_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})/;
/** A text status for a game that is not played on its date. */
const NOT_PLAYED = /postpon|^ppd$|cancel/i;

/** The instant of wall time `minuteOfDay` on `date` in `zone` (a time skipped by DST lands an hour off). */
export function zonedInstant(date: string, minuteOfDay: number, zone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + minuteOfDay * MS_PER_MINUTE;
  const firstGuess = wall - localTime(new Date(wall), zone).offsetMinutes * MS_PER_MINUTE;
  const offset = localTime(new Date(firstGuess), zone).offsetMinutes;
  return new Date(wall - offset * MS_PER_MINUTE);
}

/** The Eastern game dates a local date of `zone` overlaps (one date in Eastern time, else two). */
export function gameDatesCovering(localDate: string, zone: string): GameDates {
  const start = zonedInstant(localDate, 0, zone);
  const end = new Date(zonedInstant(addDays(localDate, 1), 0, zone).getTime() - 1);
  return {
    from: localTime(start, GAME_SCHEDULE_TIME_ZONE).date,
    to: localTime(end, GAME_SCHEDULE_TIME_ZONE).date,
  };
}

/**
 * A game is played unless its status names a postponement or a cancellation (Postponed, PPD,
 * Cancelled, Canceled). NBA.com's codes 1 (scheduled), 2 (in progress), 3 (final) all count, and
 * so does an unknown or missing status: an unreadable status is not taken for "no game".
 */
export function isPlayed(status: string | null): boolean {
  return status === null || !NOT_PLAYED.test(status.trim());
}

/**
 * The start of a game: `game_date_est` with an offset (a TIMESTAMP) is an instant; without one it
 * is an Eastern wall time. Null when missing, unreadable, or exactly 00:00 Eastern (a date
 * written without its time: no NBA game starts at midnight).
 */
export function gameStart(gameDateEst: string | null): Date | null {
  if (gameDateEst === null) return null;
  const text = gameDateEst.trim();
  const wall = WALL_TIME.exec(text);
  if (!wall) return null;
  const start = WITH_OFFSET.test(text)
    ? new Date(Date.parse(text.replace(' ', 'T')))
    : zonedInstant(wall[1]!, Number(wall[2]) * 60 + Number(wall[3]), GAME_SCHEDULE_TIME_ZONE);
  if (Number.isNaN(start.getTime())) return null;
  return localTime(start, GAME_SCHEDULE_TIME_ZONE).minuteOfDay === 0 ? null : start;
}

/**
 * The games of `localDate` in `zone` from the schedule rows of the game dates covering it: each
 * game_id once, played games only (isPlayed), on the local date of its start (of its game_date
 * when its start is unknown); the first game is the earliest known start, as local HH:MM.
 */
export function gamesOnLocalDate(
  rows: readonly ScheduleRow[],
  localDate: string,
  zone: string,
): GamesOnDate {
  const seen = new Set<string>();
  let count = 0;
  let firstMinute: number | null = null;
  rows.forEach((row, index) => {
    const id = row.game_id ?? `row-${index}`;
    if (seen.has(id)) return;
    seen.add(id);
    if (!isPlayed(row.game_status)) return;
    const start = gameStart(row.game_date_est);
    const local = start ? localTime(start, zone) : null;
    if ((local ? local.date : row.game_date) !== localDate) return;
    count += 1;
    if (local && (firstMinute === null || local.minuteOfDay < firstMinute))
      firstMinute = local.minuteOfDay;
  });
  return { count, firstGameLocal: firstMinute === null ? null : formatMinuteOfDay(firstMinute) };
}

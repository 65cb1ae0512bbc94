import type { AlertPort } from '../../../common/alerts/alert.port.js';
import type { Clock } from '../../../common/clock/clock.js';
import type { GameScheduleRows } from './game-schedule-rows.port.js';
import type { GameSchedule, GamesOnDate } from './game-schedule.port.js';
import { gameDatesCovering, gamesOnLocalDate } from './game-schedule-rows.mapper.js';
import { GameScheduleUnavailableError } from './game-schedule-unavailable.error.js';

/** Local dates whose last answer is kept for a failed refresh (a few days around today). */
export const LAST_ANSWERS_KEPT = 14;

export interface BigQueryGameScheduleOptions {
  /** The schedule rows (the cost module's query path: `game_schedule`, capped, labelled, ledgered, cached). */
  queries: GameScheduleRows;
  alerts: AlertPort;
  clock: Clock;
  /** The workflows' time zone (settings.timezone): local dates and first-game times are in it. */
  timezone: string;
  /** GAME_SCHEDULE_TABLE, for messages. */
  table: string;
}

interface LastAnswer {
  games: GamesOnDate;
  answeredAt: string;
}

/**
 * The production GameSchedule: the schedule table in BigQuery, read through the named query
 * `game_schedule` for the Eastern game dates a local date overlaps. The query path caches each
 * answer for the refresh interval. When a refresh fails (error, byte cap), the last answer read
 * for the date is used and a warning alert raised; with no answer at all, a critical alert is
 * raised and GameScheduleUnavailableError thrown: the day is never taken as gameless.
 */
export class BigQueryGameSchedule implements GameSchedule {
  private readonly lastAnswers = new Map<string, LastAnswer>();

  constructor(private readonly options: BigQueryGameScheduleOptions) {}

  async gamesOn(localDate: string): Promise<GamesOnDate> {
    const gameDates = gameDatesCovering(localDate, this.options.timezone);
    let games: GamesOnDate;
    try {
      const rows = await this.options.queries.gameSchedule(gameDates);
      games = gamesOnLocalDate(rows, localDate, this.options.timezone);
    } catch (error) {
      return this.withoutRefresh(localDate, gameDates, error);
    }
    this.remember(localDate, games);
    return games;
  }

  private async withoutRefresh(
    localDate: string,
    gameDates: { from: string; to: string },
    error: unknown,
  ): Promise<GamesOnDate> {
    const reason = error instanceof Error ? error.message : String(error);
    const last = this.lastAnswers.get(localDate);
    const details = {
      local_date: localDate,
      game_dates: gameDates,
      table: this.options.table,
      error: reason,
    };
    if (last) {
      await this.options.alerts.raise({
        key: `game-schedule-stale:${localDate}`,
        kind: 'game_schedule_stale',
        severity: 'warning',
        summary: `Game schedule for ${localDate} could not be refreshed from ${this.options.table}; decisions use its last answer, of ${last.answeredAt} (${last.games.count} games)`,
        details: { ...details, last_answered_at: last.answeredAt, games: last.games },
      });
      return last.games;
    }
    await this.options.alerts.raise({
      key: `game-schedule-unavailable:${localDate}`,
      kind: 'game_schedule_unavailable',
      severity: 'critical',
      summary: `Game schedule for ${localDate} unavailable: ${this.options.table} could not be read and no earlier answer is known; the hourly evaluation fails until it can be read`,
      details,
    });
    throw new GameScheduleUnavailableError(localDate, this.options.table, error);
  }

  private remember(localDate: string, games: GamesOnDate): void {
    this.lastAnswers.delete(localDate);
    this.lastAnswers.set(localDate, { games, answeredAt: this.options.clock.now().toISOString() });
    while (this.lastAnswers.size > LAST_ANSWERS_KEPT) {
      this.lastAnswers.delete(this.lastAnswers.keys().next().value!);
    }
  }
}

/** The schedule table's `game_date` is the game's date in this zone, as on NBA.com. */
export const GAME_SCHEDULE_TIME_ZONE = 'America/New_York';

/** One row of the schedule table, as text (the meaning of each value is the reader's). */
export interface ScheduleRow {
  game_id: string | null;
  /** YYYY-MM-DD, Eastern. */
  game_date: string | null;
  /** Start: a TIMESTAMP (an instant) or, without an offset, an Eastern wall time. */
  game_date_est: string | null;
  /** 1 scheduled, 2 in progress, 3 final (NBA.com), or a text status. */
  game_status: string | null;
}

/** Inclusive Eastern game dates, `YYYY-MM-DD`. */
export interface GameDates {
  from: string;
  to: string;
}

/**
 * Where GAME_SCHEDULE_SOURCE=bigquery reads the schedule table (GAME_SCHEDULE_TABLE). The cost
 * module implements it with its named query `game_schedule` (capped, labelled, ledgered, cached)
 * and provides it under GAME_SCHEDULE_ROWS; the app hands that module to WorkflowsModule.forRoot.
 * Workflows owns the port so that it depends on no analytics code: cost reads workflows' events
 * and config, never the other way round.
 */
export interface GameScheduleRows {
  /** The rows of the Eastern game dates `gameDates`. */
  gameSchedule(gameDates: GameDates): Promise<ScheduleRow[]>;
}

export const GAME_SCHEDULE_ROWS = Symbol('GAME_SCHEDULE_ROWS');

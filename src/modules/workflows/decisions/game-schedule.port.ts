/** The games of one local date, as the game_aware decision needs them. */
export interface GamesOnDate {
  count: number;
  /** Local time (configured zone) of the first game, HH:MM; null when unknown or no games. */
  firstGameLocal: string | null;
}

/** Where game dates come from (embedded: config/game-schedule.yaml). */
export interface GameSchedule {
  /** `localDate` is YYYY-MM-DD in the configured time zone. */
  gamesOn(localDate: string): Promise<GamesOnDate>;
}

export const GAME_SCHEDULE = Symbol('GAME_SCHEDULE');

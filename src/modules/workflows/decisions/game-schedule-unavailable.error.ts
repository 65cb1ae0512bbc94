/**
 * The game schedule of a date could not be read and no earlier answer for it is known. The
 * evaluation decides the workflows that need games as SKIP "Game schedule unavailable" (the
 * adapter has raised a critical alert); the others decide as usual. A day is never taken as
 * gameless because its schedule could not be read.
 */
export class GameScheduleUnavailableError extends Error {
  constructor(
    readonly localDate: string,
    source: string,
    cause: unknown,
  ) {
    super(
      `Game schedule unavailable for ${localDate}: reading ${source} failed (${
        cause instanceof Error ? cause.message : String(cause)
      }); workflows that need games skip this hour: see GET /v1/analytics/queries/game_schedule`,
      { cause },
    );
    this.name = 'GameScheduleUnavailableError';
  }
}

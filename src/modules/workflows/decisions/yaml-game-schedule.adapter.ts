import { z } from 'zod';
import type { GameSchedule, GamesOnDate } from './game-schedule.port.js';
import { localDateSchema, zodProblems } from './workflows-config.schema.js';
import { WorkflowsConfigError } from './workflows-config.error.js';
import { readYamlFile } from './yaml-file.reader.js';

/**
 * config/game-schedule.yaml:
 * `games: { "2026-01-22": { first_game_local: "19:00", count: 9 } }` (count optional, default 1;
 * first_game_local in the workflows' time zone). A date that is absent has no games.
 */
export const gameScheduleFileSchema = z.strictObject({
  games: z
    .record(
      localDateSchema,
      z.strictObject({
        first_game_local: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time HH:MM (00:00-23:59)'),
        count: z.number().int().min(1, 'expected at least 1 game').default(1),
      }),
    )
    .default({}),
});

/** The embedded GameSchedule: the YAML file read and validated once, at boot. */
export class YamlGameSchedule implements GameSchedule {
  private constructor(private readonly games: ReadonlyMap<string, GamesOnDate>) {}

  static fromFile(path: string): YamlGameSchedule {
    return YamlGameSchedule.fromParsed(readYamlFile(path, 'game schedule'), path);
  }

  static fromParsed(raw: unknown, source: string): YamlGameSchedule {
    const parsed = gameScheduleFileSchema.safeParse(raw ?? {});
    if (!parsed.success) {
      throw new WorkflowsConfigError(
        source,
        zodProblems(parsed.error).map((problem) => `${source}: ${problem}`),
      );
    }
    return new YamlGameSchedule(
      new Map(
        Object.entries(parsed.data.games).map(([date, day]) => [
          date,
          { count: day.count, firstGameLocal: day.first_game_local },
        ]),
      ),
    );
  }

  gamesOn(localDate: string): Promise<GamesOnDate> {
    return Promise.resolve(this.games.get(localDate) ?? { count: 0, firstGameLocal: null });
  }
}

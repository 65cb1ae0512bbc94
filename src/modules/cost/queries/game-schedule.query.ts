import { GAME_SCHEDULE_TIME_ZONE, localTime, type ScheduleRow } from '../../workflows/index.js';
import type { ExternalTable, NamedQuery } from './named-query.js';
import { textOf } from './result-values.js';

export const GAME_SCHEDULE_QUERY = 'game_schedule';

export interface GameScheduleResult {
  games: ScheduleRow[];
}

/**
 * The games of the Eastern game dates `@from_date`..`@to_date` (DATE parameters bound by the
 * application): the partition filter on `game_date` is the only predicate, so a date's answer
 * reads one partition (10 MiB minimum billed) and the SQL never asks for the current date.
 */
export const gameScheduleSql = (table: string) => `
SELECT s.game_id, s.game_date, s.game_date_est, s.game_status
FROM \`{project}.${table}\` AS s
WHERE s.game_date BETWEEN @from_date AND @to_date
ORDER BY s.game_date, s.game_id`;

/** The named query behind GAME_SCHEDULE_SOURCE=bigquery (the range is of Eastern game dates). */
export function gameScheduleQuery(external: ExternalTable): NamedQuery<GameScheduleResult> {
  return {
    name: GAME_SCHEDULE_QUERY,
    description: `Games of the Eastern game dates from..to in BigQuery table ${external.table} (GAME_SCHEDULE_SOURCE=bigquery; default: today, Eastern)`,
    tables: [],
    external,
    defaultRange: (now) => {
      const today = localTime(now, GAME_SCHEDULE_TIME_ZONE).date;
      return { from: today, to: today };
    },
    params: (range) => ({ from_date: range.from, to_date: range.to }),
    sql: () => gameScheduleSql(external.table),
    present: (rows) => ({
      games: rows.map((row) => ({
        game_id: textOf(row.game_id),
        game_date: textOf(row.game_date),
        game_date_est: textOf(row.game_date_est),
        game_status: textOf(row.game_status),
      })),
    }),
  };
}

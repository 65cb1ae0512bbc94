import { TABLE_LAYOUTS } from '../../src/modules/cost/analytics-rows.js';
import { partitionRange } from '../../src/modules/cost/embedded/embedded-query.translator.js';
import { NAMED_QUERIES } from '../../src/modules/cost/queries/named-queries.js';
import { rangeParams } from '../../src/modules/cost/queries/query-range.js';
import {
  bigQuerySource,
  embeddedSource,
  type TableSource,
} from '../../src/modules/cost/queries/table-source.js';

/**
 * Every analytics query is a named query whose SQL never asks the database for the time (that
 * would disable BigQuery's result cache and make the range implicit) and reads every table
 * through a filter on its partition column bound to the range the application computed.
 */
const SOURCES: Array<[string, TableSource]> = [
  ['bigquery', bigQuerySource],
  ['embedded', embeddedSource],
];
const RANGE = { from: '2026-01-16', to: '2026-01-22' };

const tableReferences = (sql: string) =>
  [...sql.matchAll(/\{dataset\}\.(\w+)([^)]*)/g)].map((match) => ({
    table: match[1] as keyof typeof TABLE_LAYOUTS,
    rest: match[2]!,
  }));

describe.each(NAMED_QUERIES.map((query) => [query.name, query] as const))(
  'named query %s',
  (_name, query) => {
    it.each(SOURCES)('on %s: no CURRENT_DATE, CURRENT_TIMESTAMP or NOW(', (_sink, source) => {
      const sql = query.sql(source);
      expect(sql).not.toMatch(/CURRENT_DATE|CURRENT_TIMESTAMP|CURRENT_DATETIME|\bNOW\s*\(/i);
    });

    it.each(SOURCES)(
      'on %s: every table reference is filtered on its partition column by @from_time/@until_time',
      (_sink, source) => {
        const references = tableReferences(query.sql(source));
        expect(references.map((r) => r.table).sort()).toEqual([...query.tables].sort());
        for (const { table, rest } of references) {
          const column = TABLE_LAYOUTS[table].partitionColumn;
          expect(rest).toMatch(
            new RegExp(`^ WHERE ${column} >= @from_time AND ${column} < @until_time\\b`),
          );
        }
      },
    );

    it.each(SOURCES)('on %s: the filter prunes to exactly the range days', (_sink, source) => {
      const sql = query.sql(source);
      for (const table of query.tables) {
        expect(
          partitionRange(sql, TABLE_LAYOUTS[table].partitionColumn, rangeParams(RANGE)),
        ).toEqual(RANGE);
      }
    });

    it('on bigquery: reads the latest row per natural id (loads append; replays leave copies)', () => {
      const sql = query.sql(bigQuerySource);
      for (const table of query.tables) {
        expect(sql).toContain(
          `QUALIFY ROW_NUMBER() OVER (PARTITION BY ${TABLE_LAYOUTS[table].naturalId} ORDER BY created_at DESC) = 1`,
        );
      }
    });
  },
);

it('the catalogue has the five named queries, each name unique', () => {
  expect(NAMED_QUERIES.map((query) => query.name)).toEqual([
    'pending_run_decisions',
    'missing_executions',
    'success_rate_7d',
    'failure_spike',
    'slow_runs',
  ]);
});

import { inferQueryParameterType } from '../bigquery/query-parameter-types.js';
import { gameScheduleQuery } from './game-schedule.query.js';

const query = gameScheduleQuery({ table: 'nba_raw.nbac_schedule', maxAgeMs: 1 });

describe('named query game_schedule', () => {
  it('reads the schedule table only through its partition filter, bound to the range', () => {
    const sql = query.sql(() => '');
    expect(sql).toContain(
      'FROM `{project}.nba_raw.nbac_schedule` AS s\nWHERE s.game_date BETWEEN @from_date AND @to_date\n',
    );
    expect(sql).not.toMatch(/CURRENT_DATE|CURRENT_TIMESTAMP|CURRENT_DATETIME|\bNOW\s*\(/i);
    expect(sql.match(/\bWHERE\b/g)).toHaveLength(1);
  });

  it('binds the range as DATE parameters', () => {
    const params = query.params!({ from: '2026-01-22', to: '2026-01-23' });
    expect(params).toEqual({ from_date: '2026-01-22', to_date: '2026-01-23' });
    expect(Object.values(params).map(inferQueryParameterType)).toEqual(['DATE', 'DATE']);
  });

  it('defaults to today in Eastern time', () => {
    // 03:00Z on the 23rd is still the 22nd in New York.
    expect(query.defaultRange(new Date('2026-01-23T03:00:00Z'))).toEqual({
      from: '2026-01-22',
      to: '2026-01-22',
    });
  });

  it('presents BigQuery values as text', () => {
    expect(
      query.present(
        [
          {
            game_id: '0022500601',
            game_date: { value: '2026-01-22' },
            game_date_est: { value: '2026-01-23T00:00:00.000Z' },
            game_status: 1,
          },
        ],
        {
          now: new Date(),
          timeouts: { missingExecutionRecentMs: 1, missingExecutionDelayedMs: 2 },
        },
      ),
    ).toEqual({
      games: [
        {
          game_id: '0022500601',
          game_date: '2026-01-22',
          game_date_est: '2026-01-23T00:00:00.000Z',
          game_status: '1',
        },
      ],
    });
  });
});

import {
  partitionRange,
  referencedColumns,
  translateQuery,
  UnsupportedAnalyticsQueryError,
} from './embedded-query.translator.js';

describe('partitionRange', () => {
  const params = {
    from: '2026-01-10',
    to: '2026-01-12',
    fromTs: '2026-01-10T05:00:00.000Z',
    toMidnight: '2026-01-12T00:00:00.000Z',
  };

  it.each([
    ['decision_time >= @from AND decision_time <= @to', '2026-01-10', '2026-01-12'],
    ['DATE(decision_time) BETWEEN @from AND @to', '2026-01-10', '2026-01-12'],
    ['decision_time >= @fromTs AND decision_time < @toMidnight', '2026-01-10', '2026-01-11'],
    ['decision_time >= @from AND decision_time < @fromTs', '2026-01-10', '2026-01-10'],
    ['DATE(d.decision_time) = @from', '2026-01-10', '2026-01-10'],
    ['decision_time > TIMESTAMP(@from)', '2026-01-10', null],
    ['workflow_name = @from', null, null],
  ])('given WHERE %s, then the days are %s..%s', (where, from, to) => {
    expect(partitionRange(`SELECT 1 FROM t WHERE ${where}`, 'decision_time', params)).toEqual({
      from,
      to,
    });
  });

  it('given an OR, then every partition is read (no pruning is assumed)', () => {
    expect(
      partitionRange(
        'SELECT 1 FROM t WHERE decision_time >= @from OR action = @to',
        'decision_time',
        params,
      ),
    ).toEqual({ from: null, to: null });
  });

  it('given a bound parameter that is not a date, then it is rejected naming it', () => {
    expect(() =>
      partitionRange('SELECT 1 FROM t WHERE decision_time >= @n', 'decision_time', { n: 5 }),
    ).toThrow(/@n/);
  });
});

describe('referencedColumns', () => {
  it('given named columns, then only those', () => {
    expect(
      referencedColumns(
        'SELECT workflow_name, COUNT(*) AS n FROM x WHERE DATE(decision_time) = @d GROUP BY workflow_name',
        'workflow_decisions',
      ),
    ).toEqual(['decision_time', 'workflow_name']);
  });

  it('given a SELECT * derived table over an analytics table, then only the outer columns', () => {
    expect(
      referencedColumns(
        'SELECT e.status, e.duration_seconds FROM (SELECT * FROM {dataset}.workflow_executions WHERE execution_time >= @a) AS e WHERE e.duration_seconds > 2 * 3',
        'workflow_executions',
      ),
    ).toEqual(['execution_time', 'status', 'duration_seconds']);
  });

  it('given t.* in the outer select, then every column', () => {
    expect(
      referencedColumns(
        'SELECT e.* FROM (SELECT * FROM {dataset}.workflow_executions) AS e',
        'workflow_executions',
      ),
    ).toHaveLength(14);
  });

  it('given SELECT *, then every column', () => {
    expect(referencedColumns('SELECT * FROM x', 'workflow_executions')).toHaveLength(14);
  });
});

describe('translateQuery', () => {
  it('maps {dataset}.<table> to the embedded table and keeps only the parameters used', () => {
    const translated = translateQuery(
      'SELECT status, COUNT(*) AS n FROM `{dataset}.workflow_executions` WHERE DATE(execution_time) = @day GROUP BY status',
      { day: '2026-01-10', unused: 'x' },
      'nba_orchestration',
    );
    expect(translated.sql).toBe(
      'SELECT status, COUNT(*) AS n FROM "nba_orchestration__workflow_executions" WHERE DATE(execution_time) = @day GROUP BY status',
    );
    expect(translated.params).toEqual({ day: '2026-01-10' });
    expect(translated.tables).toEqual([
      {
        table: 'workflow_executions',
        columns: ['execution_time', 'status'],
        range: { from: '2026-01-10', to: '2026-01-10' },
      },
    ]);
  });

  it('rejects an unknown table and an unbound parameter', () => {
    expect(() => translateQuery('SELECT 1 FROM {dataset}.players', {}, 'd')).toThrow(
      UnsupportedAnalyticsQueryError,
    );
    expect(() =>
      translateQuery('SELECT 1 FROM {dataset}.workflow_decisions WHERE action = @a', {}, 'd'),
    ).toThrow(/@a/);
  });
});

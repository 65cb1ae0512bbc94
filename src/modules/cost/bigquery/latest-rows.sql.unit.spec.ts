import { latestRowsSql } from './latest-rows.sql.js';

describe('latestRowsSql', () => {
  it('keeps the latest row per natural id inside the partition filter', () => {
    expect(latestRowsSql('workflow_executions', 'DATE(execution_time) = @day')).toBe(
      '(SELECT * FROM {dataset}.workflow_executions WHERE DATE(execution_time) = @day ' +
        'QUALIFY ROW_NUMBER() OVER (PARTITION BY execution_id ORDER BY created_at DESC) = 1)',
    );
  });

  it('partitions decisions by decision_id', () => {
    expect(latestRowsSql('workflow_decisions', 'TRUE')).toContain('PARTITION BY decision_id');
  });
});

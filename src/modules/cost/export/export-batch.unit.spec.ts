import type { ExecutionRow } from '../analytics-rows.js';
import { dailyLoadBudget, emptyBatch, flushDecision, type ExportBatch } from './export-batch.js';

const policy = { batchRows: 3, intervalMs: 300_000 };
const row = { execution_id: 'x' } as ExecutionRow;
const withRows = (count: number, oldestAtMs: number | null): ExportBatch => ({
  ...emptyBatch(null),
  executions: Array.from({ length: count }, () => row),
  oldestAtMs,
});

describe('flushDecision', () => {
  it('given no rows, then there is nothing to load', () => {
    expect(flushDecision(emptyBatch('0001'), 10_000_000, policy)).toBe('nothing');
  });

  it('given fewer rows than the batch size that waited less than the interval, then it waits', () => {
    expect(flushDecision(withRows(2, 1_000), 1_000 + 299_999, policy)).toBe('wait');
  });

  it('given rows whose oldest waited the interval, then it loads', () => {
    expect(flushDecision(withRows(1, 1_000), 1_000 + 300_000, policy)).toBe('load');
  });

  it('given the batch size reached, then it loads at once', () => {
    expect(flushDecision(withRows(3, 1_000), 1_000, policy)).toBe('load');
  });
});

describe('dailyLoadBudget', () => {
  it('allows one load per interval per day: 288 at 5 minutes', () => {
    expect(dailyLoadBudget(300_000)).toBe(288);
  });

  it('allows at least one load a day for intervals over a day', () => {
    expect(dailyLoadBudget(2 * 86_400_000)).toBe(1);
  });
});

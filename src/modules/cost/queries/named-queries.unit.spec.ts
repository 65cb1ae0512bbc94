import { findNamedQuery, missingClass } from './named-queries.js';

const NOW = new Date('2026-01-22T12:40:00.000Z');
const timeouts = { missingExecutionRecentMs: 600_000, missingExecutionDelayedMs: 1_800_000 };
const present = (name: string, rows: Array<Record<string, unknown>>) =>
  findNamedQuery(name)!.present(rows, { now: NOW, timeouts });
const decision = (id: string, time: string) => ({
  decision_id: id,
  workflow_name: id,
  decision_time: time,
  priority: 'HIGH',
});

describe('named queries: what depends on the current time is applied after the rows', () => {
  it.each([
    [0, 'RECENT'],
    [9, 'RECENT'],
    [10, 'DELAYED'],
    [29, 'DELAYED'],
    [30, 'MISSED'],
  ] as const)('a missing execution %i minutes old is %s', (minutes, expected) => {
    expect(missingClass(minutes, timeouts)).toBe(expected);
  });

  it('pending_run_decisions keeps the last hour; missing_executions classifies all of the range', () => {
    const rows = [
      decision('old', '2026-01-22T10:00:00.000Z'),
      decision('hour', '2026-01-22T11:40:30.000Z'),
      decision('recent', '2026-01-22T12:35:00.000Z'),
    ];
    expect(present('pending_run_decisions', rows)).toEqual({
      decisions: [
        { ...decision('hour', '2026-01-22T11:40:30.000Z'), minutes_pending: 59 },
        { ...decision('recent', '2026-01-22T12:35:00.000Z'), minutes_pending: 5 },
      ],
    });
    expect(present('missing_executions', rows)).toMatchObject({
      counts: { RECENT: 1, DELAYED: 0, MISSED: 2 },
    });
  });

  it('failure_spike: more than 20% failed in the last hour; older runs do not count', () => {
    const run = (workflow: string, minute: number, status: string) => ({
      workflow_name: workflow,
      execution_time: { value: `2026-01-22T12:${String(minute).padStart(2, '0')}:00.000Z` },
      status,
    });
    const rows = [
      ...['completed', 'completed', 'completed', 'failed'].map((s, i) => run('a', i, s)),
      ...['completed', 'completed', 'completed', 'completed', 'failed'].map((s, i) =>
        run('b', i, s),
      ),
      { workflow_name: 'a', execution_time: '2026-01-22T11:20:00.000Z', status: 'failed' },
    ];
    expect(present('failure_spike', rows)).toEqual({
      spiking: ['a'],
      workflows: [
        { workflow_name: 'a', runs: 4, failed: 1, failure_rate: 0.25, spike: true },
        { workflow_name: 'b', runs: 5, failed: 1, failure_rate: 0.2, spike: false },
      ],
    });
  });

  it('success_rate_7d reads BigQuery INT64 texts and SQLite numbers alike', () => {
    expect(
      present('success_rate_7d', [
        { workflow_name: 'a', runs: '4', succeeded: '3', failed: '1' },
        { workflow_name: 'b', runs: 2, succeeded: 2, failed: 0 },
      ]),
    ).toEqual({
      workflows: [
        { workflow_name: 'a', runs: 4, succeeded: 3, failed: 1, success_rate: 0.75 },
        { workflow_name: 'b', runs: 2, succeeded: 2, failed: 0, success_rate: 1 },
      ],
    });
  });
});

import {
  checkRange,
  InvalidQueryRangeError,
  lastDays,
  lastHours,
  rangeParams,
} from './query-range.js';

describe('query ranges (computed in the application, bound as parameters)', () => {
  it('given the last hour at 00:30 UTC, then it spans yesterday and today; at 12:00, only today', () => {
    expect(lastHours(new Date('2026-01-22T00:30:00Z'), 1)).toEqual({
      from: '2026-01-21',
      to: '2026-01-22',
    });
    expect(lastHours(new Date('2026-01-22T12:00:00Z'), 1)).toEqual({
      from: '2026-01-22',
      to: '2026-01-22',
    });
  });

  it('given 7 days, then today and the six days before', () => {
    expect(lastDays(new Date('2026-03-01T05:00:00Z'), 7)).toEqual({
      from: '2026-02-23',
      to: '2026-03-01',
    });
  });

  it('binds the half-open timestamp window of the days', () => {
    expect(rangeParams({ from: '2026-01-21', to: '2026-01-22' })).toEqual({
      from_time: '2026-01-21T00:00:00.000Z',
      until_time: '2026-01-23T00:00:00.000Z',
    });
  });

  it.each([
    [{ from: '2026-1-2', to: '2026-01-22' }, 'from="2026-1-2" is not a UTC day'],
    [{ from: '2026-02-30', to: '2026-03-01' }, 'from="2026-02-30" is not a UTC day'],
    [{ from: '2026-01-23', to: '2026-01-22' }, 'from=2026-01-23 is after to=2026-01-22'],
    [{ from: '2024-01-01', to: '2026-01-22' }, 'more than 400'],
  ])('rejects %j naming the query and the problem', (range, problem) => {
    expect(() => checkRange(range, 'slow_runs')).toThrow(InvalidQueryRangeError);
    expect(() => checkRange(range, 'slow_runs')).toThrow(`query slow_runs: `);
    expect(() => checkRange(range, 'slow_runs')).toThrow(problem);
  });
});

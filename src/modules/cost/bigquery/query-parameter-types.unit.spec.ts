import {
  inferQueryParameterType,
  queryJobParameters,
  type QueryParameterType,
} from './query-parameter-types.js';

describe('inferQueryParameterType', () => {
  const cases: Array<[string | number, QueryParameterType]> = [
    ['2026-01-15', 'DATE'],
    ['2026-01-15T18:00:00Z', 'TIMESTAMP'],
    ['2026-01-15T18:00:00.123Z', 'TIMESTAMP'],
    ['2026-01-15T18:00:00+01:00', 'TIMESTAMP'],
    ['2026-01-15T18:00:00', 'STRING'],
    ['2026-1-15', 'STRING'],
    ['morning_operations', 'STRING'],
    ['42', 'STRING'],
    [42, 'INT64'],
    [0, 'INT64'],
    [-3, 'INT64'],
    [1.5, 'FLOAT64'],
  ];
  it.each(cases)('given %p, infers %s', (value, expected) => {
    expect(inferQueryParameterType(value)).toBe(expected);
  });
});

describe('queryJobParameters', () => {
  it('wraps DATE and TIMESTAMP values so the client sends their value, keeps the rest', () => {
    const { params, types } = queryJobParameters({
      from: '2026-01-01',
      until: '2026-01-31T23:59:59Z',
      name: 'x',
      limit: 10,
    });
    expect(types).toEqual({ from: 'DATE', until: 'TIMESTAMP', name: 'STRING', limit: 'INT64' });
    expect((params.from as { value: string }).value).toBe('2026-01-01');
    expect((params.until as { value: string }).value).toBe('2026-01-31T23:59:59.000Z');
    expect(params.name).toBe('x');
    expect(params.limit).toBe(10);
  });
});

import {
  isBytesBilledLimitError,
  isRetryableBigQueryError,
  QueryBytesCapExceededError,
} from './bigquery-job-errors.js';

const apiError = (code: number | undefined, reason: string, message = reason) =>
  Object.assign(new Error(message), { code, errors: [{ reason, message }] });

describe('isRetryableBigQueryError', () => {
  it.each([
    [apiError(503, 'backendError'), true],
    [apiError(500, 'internalError'), true],
    [apiError(429, 'rateLimitExceeded'), true],
    [apiError(undefined, 'backendError'), true],
    [apiError(403, 'rateLimitExceeded'), true],
    [apiError(400, 'invalid'), false],
    [apiError(404, 'notFound'), false],
    [new Error('socket hang up'), false],
  ])('given %p, says %p', (error, expected) => {
    expect(isRetryableBigQueryError(error)).toBe(expected);
  });
});

describe('isBytesBilledLimitError', () => {
  it('recognises the reason, and the message when the reason is missing', () => {
    expect(isBytesBilledLimitError(apiError(400, 'bytesBilledLimitExceeded'))).toBe(true);
    expect(
      isBytesBilledLimitError(new Error('Query exceeded limit for bytes billed: 10485760.')),
    ).toBe(true);
    expect(isBytesBilledLimitError(apiError(400, 'invalidQuery'))).toBe(false);
  });

  it('the cap error names the query, the cap and what to do', () => {
    const error = new QueryBytesCapExceededError('weekly_costs', 10_485_760, new Error('limit'));
    expect(error.message).toMatch(/"weekly_costs".*10485760 bytes.*BIGQUERY_MAX_BYTES_BILLED/);
  });
});
